// combine(): read and check every input, unpack them into the work dir (or a scratch dir), then
// pack() the unpacked component dirs, each with its own manifest.in, as one installer. See
// combine.hpp.
#include "builder/release/combine.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/pack/image_scan.hpp"
#include "builder/inspect/installer_reader.hpp"

#include <stdlib.h>

#include <algorithm>
#include <optional>
#include <set>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

class ScratchDir {
public:
  explicit ScratchDir(const fs::path& parent) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    std::string pattern = (parent / "distbuild-combine-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw Error(parent, errno_text("cannot create a scratch directory"));
    }
    m_path = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return m_path; }

private:
  fs::path m_path;
};

struct Input {
  fs::path tarball;
  InstallerInfo info;
  bool repeats_a_component = false;  // already reported; its top dir clash would say it again
};

} // namespace

int combine_rank(const std::string& component) {
  if (component == "rustc") {
    return 0;
  }
  if (component.rfind("rust-std", 0) == 0) {
    return 1;
  }
  return 2;
}

PackResult combine(const CombineRequest& request) {
  std::vector<std::string> problems;
  if (request.input_tarballs.empty()) {
    problems.push_back("--input-tarballs: no installer given");
  }
  std::vector<Input> inputs;
  std::set<std::string> seen;
  for (const fs::path& tarball : request.input_tarballs) {
    try {
      Input input{tarball, read_installer(tarball)};
      if (input.info.installer_version != "3") {
        problems.push_back(display_path(tarball.string()) + ": rust-installer-version is '" +
                           input.info.installer_version + "', only 3 can be combined");
      }
      for (const std::string& component : input.info.components) {
        if (!seen.insert(component).second) {
          input.repeats_a_component = true;
          problems.push_back(display_path(tarball.string()) + ": component '" + component +
                             "' is already in another input");
        }
        if (input.info.manifest_in.count(component) == 0) {
          problems.push_back(display_path(tarball.string()) + ": component '" + component +
                             "' has no manifest.in");
        }
      }
      inputs.push_back(std::move(input));
    } catch (const Error& e) {
      problems.push_back(e.what());
    }
  }
  std::set<std::string> tops;
  for (const Input& input : inputs) {
    const std::string& top = input.info.top_dir;
    const std::string where = display_path(input.tarball.string());
    if (top.empty() || top == "." || top == ".." || top.find('/') != std::string::npos) {
      problems.push_back(where + ": top directory '" + display_path(top) + "' is not a plain name");
    } else if (top == request.package_name) {
      problems.push_back(where + ": top directory '" + top +
                         "' is the combined package's own name; it cannot be unpacked beside it");
    } else if (!tops.insert(top).second && !input.repeats_a_component) {
      problems.push_back(where + ": top directory '" + top + "' is also another input's");
    }
  }
  if (!problems.empty()) {
    throw Error(std::string(), join_problems(problems));
  }

  std::optional<ScratchDir> scratch;
  fs::path unpack_dir;
  if (request.work_dir) {
    unpack_dir = *request.work_dir;
  } else {
    scratch.emplace(fs::temp_directory_path());
    unpack_dir = scratch->path();
  }
  struct Ranked {
    int rank;
    std::size_t order;
    ComponentImage image;
  };
  std::vector<Ranked> ranked;
  PackRequest pack_request;
  for (const Input& input : inputs) {
    // Replaced, not merged: a stale file of an earlier run must not join the combined installer.
    std::error_code ec;
    fs::remove_all(unpack_dir / input.info.top_dir, ec);
    if (ec) {
      throw Error(unpack_dir / input.info.top_dir, "cannot replace: " + ec.message());
    }
    extract_installer(input.tarball, unpack_dir);
    for (const std::string& component : input.info.components) {
      ComponentImage image;
      image.component = component;
      image.image_dir = unpack_dir / input.info.top_dir / component;
      pack_request.prepared_manifests[component] = read_file(image.image_dir / "manifest.in");
      ranked.push_back(Ranked{combine_rank(component), ranked.size(), std::move(image)});
    }
    if (input.info.version && pack_request.overlay_files.count("version") == 0) {
      pack_request.overlay_files["version"] = *input.info.version + "\n";
    }
    if (input.info.git_commit_hash && pack_request.overlay_files.count("git-commit-hash") == 0) {
      pack_request.overlay_files["git-commit-hash"] = *input.info.git_commit_hash + "\n";
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.rank < b.rank;
  });
  for (Ranked& r : ranked) {
    pack_request.components.push_back(std::move(r.image));
  }
  // The overlay wins over carried-over metadata.
  if (request.overlay_dir) {
    for (const char* name : {"version", "git-commit-hash"}) {
      if (fs::exists(*request.overlay_dir / name)) {
        pack_request.overlay_files.erase(name);
      }
    }
  }
  for (const auto& [name, content] : request.overlay_files) {
    pack_request.overlay_files[name] = content;
  }
  pack_request.package_name = request.package_name;
  pack_request.overlay_dir = request.overlay_dir;
  pack_request.output_dir = request.output_dir;
  pack_request.formats = request.formats;
  pack_request.profile = request.profile;
  pack_request.mtime = request.mtime;
  pack_request.threads = request.threads;
  pack_request.script = request.script;
  pack_request.work_dir = request.work_dir;
  pack_request.write_tarballs = request.write_tarballs;
  return pack(pack_request);
}

} // namespace distbuild::builder
