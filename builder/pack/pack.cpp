// pack(): validate everything, lay out the installer entries, write all formats in one pass.
// See pack.hpp for the layout.
#include "builder/pack/pack.hpp"

#include "builder/tree/error.hpp"
#include "builder/pack/image_scan.hpp"
#include "builder/pack/installer_dir.hpp"
#include "builder/pack/pack_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_installer_version = "3\n";

// Names the installer itself writes at the top level.
const std::set<std::string> k_generated_names = {"rust-installer-version", "components",
                                                 "install.sh"};

std::string strip_slashes(std::string path) {
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  while (!path.empty() && path.front() == '/') {
    path.erase(path.begin());
  }
  return path;
}

// A single path component usable as a tar name and a file name.
std::optional<std::string> name_problem(const std::string& name) {
  if (name.empty()) {
    return "is empty";
  }
  if (name == "." || name == ".." || name.find('/') != std::string::npos) {
    return "must be a single file name (no '/', not '.' or '..')";
  }
  if (name.find('\n') != std::string::npos || name.find('\\') != std::string::npos) {
    return "contains a newline or backslash";
  }
  if (!is_valid_utf8(name)) {
    return "is not valid UTF-8";
  }
  return std::nullopt;
}

TarEntry directory_entry(std::string path) {
  TarEntry entry;
  entry.kind = TarEntry::Kind::Directory;
  entry.path = std::move(path);
  return entry;
}

TarEntry generated_file(std::string path, std::string content, bool executable = false) {
  TarEntry entry;
  entry.kind = TarEntry::Kind::File;
  entry.path = std::move(path);
  entry.executable = executable;
  entry.size = content.size();
  entry.content = std::move(content);
  return entry;
}

TarEntry image_file(const std::string& prefix, const ImageFile& file) {
  TarEntry entry;
  entry.kind = TarEntry::Kind::File;
  entry.path = prefix + "/" + file.rel;
  entry.executable = file.executable;
  entry.size = file.size;
  entry.source = file.source;
  return entry;
}

bool is_under(const std::string& rel, const std::string& dir) {
  return rel.size() > dir.size() && rel.compare(0, dir.size(), dir) == 0 && rel[dir.size()] == '/';
}

void check_output_dir(const fs::path& dir, std::vector<std::string>& problems) {
  if (dir.empty()) {
    problems.push_back("output directory: not given");
    return;
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      problems.push_back(display_path(dir.string()) + ": output directory: " + std::strerror(errno));
      return;
    }
    // Created later; its nearest existing parent must be writable.
    fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
    check_output_dir(parent, problems);
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    problems.push_back(display_path(dir.string()) + ": output directory is not a directory");
  } else if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    problems.push_back(display_path(dir.string()) + ": output directory is not writable: " +
                       std::strerror(errno));
  }
}

// A prepared component's manifest.in may only name what its image holds, one entry a line.
void check_prepared_manifest(const ComponentImage& component, const std::string& text,
                             const ImageScan& scan, std::vector<std::string>& problems) {
  std::set<std::string> files;
  for (const ImageFile& file : scan.files) {
    files.insert(file.rel);
  }
  std::set<std::string> dirs(scan.dirs.begin(), scan.dirs.end());
  const std::string where = display_path((component.image_dir / "manifest.in").string());
  // Each line as it is: a '\r' is part of the name (rust-installer's reading), never trimmed.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    bool ok = (line.rfind("file:", 0) == 0 && files.count(line.substr(5)) != 0 &&
               line.substr(5) != "manifest.in") ||
              (line.rfind("dir:", 0) == 0 && dirs.count(line.substr(4)) != 0);
    if (!ok) {
      problems.push_back(where + ": '" + display_path(line) +
                         "' does not name a file or directory of the component");
    }
  }
}

} // namespace

std::string package_file_stem(std::string_view pkg, std::string_view version,
                              std::string_view target) {
  std::string stem = std::string(pkg) + "-" + std::string(version);
  if (target != "*" && !target.empty()) {
    stem += "-" + std::string(target);
  }
  return stem;
}

std::vector<TarEntry> plan_pack(const PackRequest& request, PackResult* result) {
  std::vector<std::string> problems;
  const std::string& top = request.package_name;
  if (auto problem = name_problem(top)) {
    problems.push_back("package name '" + display_path(top) + "': " + *problem);
  }
  if (request.components.empty()) {
    problems.push_back(display_path(top) + ": no component to pack");
  }
  if (request.write_tarballs) {
    if (request.formats.empty()) {
      problems.push_back("--formats: no compression format given");
    }
    check_output_dir(request.output_dir, problems);
  }
  if (request.work_dir) {
    check_output_dir(*request.work_dir, problems);
  }

  std::set<std::string> top_names = k_generated_names;
  std::vector<ImageScan> scans;
  std::map<std::string, std::string> owner_of_file; // rel -> component
  for (const ComponentImage& component : request.components) {
    if (auto problem = name_problem(component.component)) {
      problems.push_back("component name '" + display_path(component.component) + "': " + *problem);
    } else if (!top_names.insert(component.component).second) {
      problems.push_back("component name '" + component.component +
                         "': given twice or clashes with an installer file");
    }
    ScanOptions options;
    options.dereference = request.dereference;
    ImageScan scan = scan_image(component.image_dir, options, problems);
    std::set<std::string> dirs(scan.dirs.begin(), scan.dirs.end());
    auto prepared = request.prepared_manifests.find(component.component);
    const bool is_prepared = prepared != request.prepared_manifests.end();
    if (is_prepared) {
      check_prepared_manifest(component, prepared->second, scan, problems);
    }
    for (const std::string& bulk : is_prepared ? std::vector<std::string>{} : component.bulk_dirs) {
      std::string rel = strip_slashes(bulk);
      if (dirs.count(rel) == 0) {
        problems.push_back(display_path((component.image_dir / rel).string()) +
                           ": bulk dir does not exist in the image");
      }
    }
    for (const ImageFile& file : scan.files) {
      if (is_prepared && file.rel == "manifest.in") {
        continue;
      }
      auto [it, inserted] = owner_of_file.emplace(file.rel, component.component);
      if (!inserted) {
        problems.push_back(display_path((component.image_dir / file.rel).string()) +
                           ": also shipped by component '" + it->second +
                           "' (rustup refuses components that share a file)");
      }
    }
    scans.push_back(std::move(scan));
  }

  ImageScan overlay;
  if (request.overlay_dir) {
    ScanOptions options;
    options.reserve_rustup_names = false;
    options.require_files = false;
    options.what = "overlay directory";
    overlay = scan_image(*request.overlay_dir, options, problems);
    auto clashes = [&](const std::string& rel) {
      std::string first = rel.substr(0, rel.find('/'));
      return top_names.count(first) != 0 || request.overlay_files.count(first) != 0;
    };
    for (const std::string& dir : overlay.dirs) {
      if (dir.find('/') == std::string::npos && clashes(dir)) {
        problems.push_back(display_path((*request.overlay_dir / dir).string()) +
                           ": clashes with a name the installer writes itself");
      }
    }
    for (const ImageFile& file : overlay.files) {
      if (file.rel.find('/') == std::string::npos && clashes(file.rel)) {
        problems.push_back(display_path((*request.overlay_dir / file.rel).string()) +
                           ": clashes with a name the installer writes itself");
      }
    }
  }
  for (const auto& [name, content] : request.overlay_files) {
    if (auto problem = name_problem(name)) {
      problems.push_back("overlay file '" + display_path(name) + "': " + *problem);
    } else if (top_names.count(name) != 0) {
      problems.push_back("overlay file '" + name + "': clashes with a name the installer writes itself");
    }
  }
  if (!problems.empty()) {
    throw Error(std::string(), join_problems(problems));
  }

  std::vector<TarEntry> entries;
  entries.push_back(directory_entry(top));
  entries.push_back(generated_file(top + "/rust-installer-version", k_installer_version));
  std::string components_text;
  for (const ComponentImage& component : request.components) {
    components_text += component.component + "\n";
  }
  entries.push_back(generated_file(top + "/components", components_text));
  entries.push_back(generated_file(top + "/install.sh", render_install_script(request.script),
                                   true));
  for (const std::string& dir : overlay.dirs) {
    entries.push_back(directory_entry(top + "/" + dir));
  }
  for (const ImageFile& file : overlay.files) {
    entries.push_back(image_file(top, file));
  }
  for (const auto& [name, content] : request.overlay_files) {
    entries.push_back(generated_file(top + "/" + name, content));
  }

  for (std::size_t i = 0; i < request.components.size(); ++i) {
    const ComponentImage& component = request.components[i];
    const ImageScan& scan = scans[i];
    const std::string prefix = top + "/" + component.component;
    std::vector<std::string> bulk;
    for (const std::string& dir : component.bulk_dirs) {
      bulk.push_back(strip_slashes(dir));
    }
    std::set<std::string> lines; // sorted like rust-installer's BTreeSet
    for (const std::string& dir : bulk) {
      lines.insert("dir:" + dir);
    }
    entries.push_back(directory_entry(prefix));
    for (const std::string& dir : scan.dirs) {
      entries.push_back(directory_entry(prefix + "/" + dir));
    }
    auto prepared = request.prepared_manifests.find(component.component);
    const bool is_prepared = prepared != request.prepared_manifests.end();
    for (const ImageFile& file : scan.files) {
      if (is_prepared) {
        if (file.rel != "manifest.in") {  // a prepared component's own, replaced below
          entries.push_back(image_file(prefix, file));
        }
        continue;
      }
      entries.push_back(image_file(prefix, file));
      bool in_bulk = false;
      for (const std::string& dir : bulk) {
        in_bulk = in_bulk || is_under(file.rel, dir);
      }
      if (!in_bulk) {
        lines.insert("file:" + file.rel);
      }
    }
    std::string manifest;
    for (const std::string& line : lines) {
      manifest += line + "\n";
    }
    if (is_prepared) {
      manifest = prepared->second;
    }
    entries.push_back(generated_file(prefix + "/manifest.in", manifest));
    if (result != nullptr) {
      for (const std::string& rel : scan.dereferenced) {
        result->dereferenced.push_back(component.component + "/" + rel);
      }
    }
  }
  sort_entries_upstream(entries);
  return entries;
}

PackResult pack(const PackRequest& request) {
  PackResult result;
  std::vector<TarEntry> entries = plan_pack(request, &result);
  if (request.work_dir) {
    write_installer_dir(entries, *request.work_dir);
  }
  if (!request.write_tarballs) {
    return result;
  }
  std::error_code ec;
  fs::create_directories(request.output_dir, ec);
  if (ec) {
    throw Error(request.output_dir, "cannot create the output directory: " + ec.message());
  }
  const fs::path stem = request.output_dir / request.package_name;
  ProgressScope progress(request.progress, request.package_name, predicted_tar_size(entries));
  auto outputs = [](const std::vector<PackedFile>& files) {
    std::vector<StepOutput> list;
    for (const PackedFile& file : files) {
      list.push_back({std::string(format_name(file.format)), file.size});
    }
    return list;
  };
  std::optional<PackCache> cache;
  std::string key;
  if (request.cache_dir) {
    cache.emplace(*request.cache_dir);
    key = PackCache::key(entries, request.formats, request.profile, request.mtime,
                         request.threads, cache->stat_index(request.package_name),
                         &result.inputs);
    if (std::optional<TarballSet> hit = cache->fetch(key, stem, request.formats)) {
      result.files = std::move(hit->files);
      result.tar_bytes = hit->tar_bytes;
      result.from_cache = true;
      progress.finish({true, true, outputs(result.files)});
      return result;
    }
  }
  std::function<void(std::uint64_t)> on_progress;
  if (request.progress != nullptr) {
    on_progress = [&progress](std::uint64_t done) { progress.update(done); };
  }
  TarballSet set = write_tarballs(entries, stem, request.formats, request.profile, request.mtime,
                                  request.threads, on_progress);
  if (cache) {
    // An input edited while it was being packed must not be filed under the key of its old
    // content; hashing again costs far less than the compression just done.
    if (PackCache::key(entries, request.formats, request.profile, request.mtime,
                       request.threads, cache->stat_index(request.package_name)) == key) {
      result.cache_note = cache->store(key, set);
    } else {
      result.cache_note = "an input changed while it was packed; not cached";
    }
  }
  result.files = std::move(set.files);
  result.tar_bytes = set.tar_bytes;
  progress.finish({true, false, outputs(result.files)});
  return result;
}

PackResult tarball_directory(const TarballRequest& request) {
  std::vector<std::string> problems;
  if (request.formats.empty()) {
    problems.push_back("--compression-formats: no compression format given");
  }
  fs::path input = request.input_dir.lexically_normal();
  std::string top = input.filename().string();
  if (top.empty()) {
    top = input.parent_path().filename().string();
  }
  if (auto problem = name_problem(top)) {
    problems.push_back(display_path(request.input_dir.string()) + ": top directory name " + *problem);
  }
  ScanOptions options;
  options.reserve_rustup_names = false;
  options.what = "input directory";
  ImageScan scan = scan_image(request.input_dir, options, problems);
  fs::path out_dir = request.output_prefix.parent_path();
  check_output_dir(out_dir.empty() ? fs::path(".") : out_dir, problems);
  if (!problems.empty()) {
    throw Error(std::string(), join_problems(problems));
  }
  std::vector<TarEntry> entries;
  entries.push_back(directory_entry(top));
  for (const std::string& dir : scan.dirs) {
    entries.push_back(directory_entry(top + "/" + dir));
  }
  for (const ImageFile& file : scan.files) {
    entries.push_back(image_file(top, file));
  }
  sort_entries_upstream(entries);
  if (!out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) {
      throw Error(out_dir, "cannot create the output directory: " + ec.message());
    }
  }
  TarballSet set = write_tarballs(entries, request.output_prefix, request.formats,
                                  request.profile, request.mtime, request.threads);
  PackResult result;
  result.files = std::move(set.files);
  result.tar_bytes = set.tar_bytes;
  return result;
}

} // namespace distbuild::builder
