// The HTML of index.html (what it shows and why: index_page.hpp). Hand-written markup with
// inline CSS: there is nothing to fetch, so it reads the same from file://, a mirror or a phone.
// Wide tables scroll sideways inside their own box (the page itself never does), the first
// column stays in view, and hashes wrap instead of stretching the layout. The one inline script
// only replaces the placeholder server URL by the page's own location.
#include "builder/web/index_page.hpp"
#include "builder/web/setup_lines.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

namespace distbuild::builder {

namespace {

constexpr std::string_view k_css = R"(
:root{color-scheme:light dark;--ok:#1a7f37;--ok-bg:#dafbe1;--no:#b42318;--no-bg:#fee4e2;
--line:#d0d7de;--muted:#57606a;--code:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--ok:#56d364;--ok-bg:#12361d;--no:#ff7b72;
--no-bg:#3d1416;--line:#30363d;--muted:#8b949e;--code:#161b22}}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:72rem;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid var(--line)}h3{font-size:1rem}
p.lead{color:var(--muted);margin-top:0}
code,pre{font:0.9em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--code);padding:.75rem;border-radius:6px;white-space:pre-wrap;
overflow-wrap:anywhere}
.hash{word-break:break-all;font-size:.8em}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);
border-radius:6px;margin:.5rem 0}
table{border-collapse:collapse;width:100%}
th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;
vertical-align:top}
table.matrix th,table.matrix td{text-align:center;white-space:nowrap}
table.matrix th[scope=row]{text-align:left;position:sticky;left:0;background:Canvas;
font-weight:normal;white-space:normal;overflow-wrap:anywhere;min-width:7rem;max-width:10rem;
font-size:.85em}
table.matrix thead th{font-size:.85em}
td.ok{color:var(--ok);background:var(--ok-bg)}td.no{color:var(--no);background:var(--no-bg)}
td .size{display:block;font-size:.75em;color:var(--muted)}
.badge{font-size:.7em;border:1px solid var(--line);border-radius:1em;padding:0 .4em;
margin-left:.3em;color:var(--muted)}
.legend span{margin-right:1rem}
details{margin:.5rem 0}summary{cursor:pointer}
.missing{color:var(--no)}
)";

constexpr std::string_view k_script = R"(
(function(){var here=location.href.replace(/[?#].*$/,"").replace(/\/index\.html$/,"")
.replace(/\/$/,"");document.querySelectorAll(".origin").forEach(function(e){
e.textContent=here;});})();
)";

constexpr std::string_view k_placeholder = "https://mirror.example.org";

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string human_size(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

// "108F 6620 5EAE ..." as gpg prints it, easier to compare by eye.
std::string grouped_fingerprint(const std::string& fingerprint) {
  std::string out;
  for (std::size_t i = 0; i < fingerprint.size(); ++i) {
    if (i > 0 && i % 4 == 0) {
      out += (i == 20) ? "  " : " ";
    }
    out += fingerprint[i];
  }
  return out;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : separator) + item;
  }
  return out;
}

std::string display_name(const IndexRelease& release, const std::string& package) {
  auto it = release.display_names.find(package);
  return it == release.display_names.end() ? package : it->second;
}

// The toolchain name rustup needs for a release found in a dated directory.
std::string dated_toolchain(const IndexRelease& release) {
  for (const auto& name : release.names) {
    if (name == "nightly" || name == "beta" || name == "stable") {
      return name + "-" + release.date;
    }
  }
  return release.names.front() + "-" + release.date;
}

const IndexRelease* main_release(const TreeSummary& summary) {
  for (const char* channel : {"stable", "beta", "nightly"}) {
    for (const auto& release : summary.top_level) {
      if (release.error.empty() &&
          std::find(release.names.begin(), release.names.end(), channel) != release.names.end()) {
        return &release;
      }
    }
  }
  return summary.top_level.empty() || !summary.top_level.front().error.empty()
             ? nullptr
             : &summary.top_level.front();
}

void write_setup(std::ostringstream& out, const TreeSummary& summary) {
  out << "<section id=\"setup\"><h2>Use this mirror</h2>\n"
      << "<p>Point rustup at this tree (no trailing slash; rustup adds <code>/dist</code>):</p>\n"
      << "<pre>export RUSTUP_DIST_SERVER=<span class=\"origin\">" << k_placeholder
      << "</span>\n";
  // The same decisions as the lines `distbuild serve` prints (setup_lines.hpp).
  const bool self_update = offers_self_update(summary);
  if (self_update) {
    out << "export RUSTUP_UPDATE_ROOT=<span class=\"origin\">" << k_placeholder
        << "</span>/rustup\n";
  }
  const IndexRelease* release = main_release(summary);
  std::string toolchain = main_toolchain(summary);
  out << "rustup toolchain install " << escape(toolchain.empty() ? "stable" : toolchain)
      << " --profile minimal" << (self_update ? "" : " --no-self-update") << "</pre>\n";
  if (!self_update) {
    out << "<p>This tree has no rustup self-update files, hence "
           "<code>--no-self-update</code>: without it rustup asks static.rust-lang.org for its "
           "own update after installing.</p>\n";
  }
  if (release == nullptr) {
    out << "</section>\n";
    return;
  }
  // rust-toolchain.toml: pin the exact version when the tree has a pin for it.
  std::string channel = release->names.front();
  for (const auto& name : release->names) {
    if (std::count(name.begin(), name.end(), '.') == 2) {
      channel = name;
      break;
    }
  }
  std::vector<std::string> components, targets;
  for (const auto& package : release->packages) {
    if (package == "rustc" || package == "cargo" || package == "rust-std") {
      continue;
    }
    bool on_host = !release->hosts.empty() &&
                   release->cells.at({release->hosts.front(), package}).available;
    if (on_host && (package.starts_with("clippy") || package.starts_with("rustfmt") ||
                    package == "rust-src")) {
      components.push_back("\"" + escape(display_name(*release, package)) + "\"");
    }
  }
  for (const auto& target : release->targets) {
    bool is_host = std::find(release->hosts.begin(), release->hosts.end(), target) !=
                   release->hosts.end();
    auto std_cell = release->cells.find({target, "rust-std"});
    if (!is_host && std_cell != release->cells.end() && std_cell->second.available) {
      targets.push_back("\"" + escape(target) + "\"");
    }
  }
  out << "<p>Or pin a project to this release with a <code>rust-toolchain.toml</code>:</p>\n"
      << "<pre>[toolchain]\nchannel = \"" << escape(channel) << "\"\nprofile = \"minimal\"\n";
  if (!components.empty()) {
    out << "components = [" << joined(components, ", ") << "]\n";
  }
  if (!targets.empty()) {
    out << "targets = [" << joined(targets, ", ") << "]\n";
  }
  out << "</pre>\n</section>\n";
}

void write_channels(std::ostringstream& out, const TreeSummary& summary) {
  out << "<section id=\"channels\"><h2>Channels and pins</h2>\n";
  if (summary.top_level.empty()) {
    out << "<p>No channel manifests in <code>dist/</code> yet.</p></section>\n";
    return;
  }
  out << "<div class=\"scroll\"><table class=\"channels\"><thead><tr><th>Toolchain names</th>"
         "<th>Release</th><th>Date</th><th>Manifest SHA-256</th></tr></thead><tbody>\n";
  for (const auto& release : summary.top_level) {
    out << "<tr data-names=\"" << escape(joined(release.names, " ")) << "\"><td>";
    for (const auto& name : release.names) {
      out << "<code>" << escape(name) << "</code> ";
    }
    out << "</td><td>"
        << (release.error.empty() ? escape(release.rust_version)
                                  : "<span class=\"missing\">" + escape(release.error) +
                                        "</span>")
        << "</td><td>" << escape(release.date) << "</td><td><code class=\"hash\">"
        << release.manifest_sha256 << "</code></td></tr>\n";
  }
  out << "</tbody></table></div>\n</section>\n";
}

void write_matrix(std::ostringstream& out, const IndexRelease& release) {
  out << "<h3>" << escape(joined(release.names, ", ")) << ": " << escape(release.rust_version)
      << ", released " << escape(release.date) << "</h3>\n"
      << "<div class=\"scroll\"><table class=\"matrix\" data-channel=\""
      << escape(release.names.front()) << "\" data-names=\"" << escape(joined(release.names, " "))
      << "\" data-date=\"" << escape(release.date) << "\"><thead><tr><th>Target</th>";
  for (const auto& package : release.packages) {
    out << "<th data-component=\"" << escape(package) << "\">"
        << escape(display_name(release, package)) << "</th>";
  }
  out << "</tr></thead><tbody>\n";
  for (const auto& target : release.targets) {
    bool is_host = std::find(release.hosts.begin(), release.hosts.end(), target) !=
                   release.hosts.end();
    out << "<tr><th scope=\"row\">" << escape(target)
        << (is_host ? "<span class=\"badge\">host</span>" : "") << "</th>";
    for (const auto& package : release.packages) {
      const IndexCell& cell = release.cells.at({target, package});
      out << "<td data-host=\"" << escape(target) << "\" data-component=\"" << escape(package)
          << "\" data-available=\"" << (cell.available ? "true" : "false") << "\" class=\""
          << (cell.available ? "ok" : "no") << "\"";
      std::optional<std::uint64_t> smallest;
      std::string title;
      for (const auto& file : cell.files) {
        if (file.size && (!smallest || *file.size < *smallest)) {
          smallest = file.size;
        }
        title += file.format + " " + (file.size ? human_size(*file.size) : "missing") + "; ";
      }
      if (cell.any_target) {
        title += "any target";
      }
      if (!title.empty()) {
        out << " title=\"" << escape(title) << "\"";
      }
      out << ">" << (cell.available ? "\u2714" : "\u2718");
      if (cell.available && smallest) {
        out << "<span class=\"size\">" << human_size(*smallest) << "</span>";
      }
      out << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody></table></div>\n";
}

void write_files(std::ostringstream& out, const IndexRelease& release) {
  std::size_t count = 0;
  std::uint64_t total = 0;
  std::set<std::string> seen;
  std::ostringstream rows;
  for (const auto& [key, cell] : release.cells) {
    for (const auto& file : cell.files) {
      if (!seen.insert(file.name).second) {
        continue;  // rust-src ("*") appears in every row
      }
      ++count;
      total += file.size.value_or(0);
      rows << "<tr><td><code>" << escape(file.name) << "</code></td><td>"
           << (file.size ? human_size(*file.size)
                         : std::string("<span class=\"missing\">not in the tree</span>"))
           << "</td><td><code class=\"hash\">" << escape(file.sha256) << "</code></td></tr>\n";
    }
  }
  out << "<details><summary>" << count << " files, " << human_size(total)
      << " (sizes and SHA-256s)</summary>\n<div class=\"scroll\"><table class=\"files\">"
         "<thead><tr><th>File</th><th>Size</th><th>SHA-256</th></tr></thead><tbody>\n"
      << rows.str() << "</tbody></table></div></details>\n";
}

void write_availability(std::ostringstream& out, const TreeSummary& summary) {
  out << "<section id=\"availability\"><h2>Availability</h2>\n"
      << "<p class=\"legend\"><span>\u2714 available (smallest archive size)</span>"
         "<span>\u2718 missing</span></p>\n";
  for (const auto& release : summary.top_level) {
    if (release.error.empty()) {
      write_matrix(out, release);
      write_files(out, release);
    }
  }
  out << "</section>\n";
}

void write_archive(std::ostringstream& out, const TreeSummary& summary) {
  if (summary.dated.empty()) {
    return;
  }
  out << "<section id=\"archive\"><h2>Dated releases</h2>\n"
      << "<p>Every release stays installable by date, e.g. <code>rustup toolchain install "
      << escape(dated_toolchain(summary.dated.front())) << "</code>.</p>\n"
      << "<div class=\"scroll\"><table class=\"archive\"><thead><tr><th>Directory</th>"
         "<th>Release</th><th>Install as</th><th>Manifest SHA-256</th></tr></thead><tbody>\n";
  for (const auto& release : summary.dated) {
    out << "<tr><td><code>" << escape(release.location) << "/</code></td><td>"
        << escape(release.error.empty() ? release.rust_version : release.error) << "</td><td>"
        << "<code>" << escape(dated_toolchain(release)) << "</code></td><td><code class=\"hash\">"
        << release.manifest_sha256 << "</code></td></tr>\n";
  }
  out << "</tbody></table></div>\n</section>\n";
}

void write_rustup(std::ostringstream& out, const TreeSummary& summary) {
  if (!summary.rustup) {
    return;
  }
  const IndexRustup& rustup = *summary.rustup;
  out << "<section id=\"rustup\"><h2>rustup itself</h2>\n"
      << "<p><code>rustup/release-stable.toml</code> offers rustup <strong>"
      << escape(rustup.version.empty() ? "(none)" : rustup.version)
      << "</strong>; <code>rustup self update</code> with <code>RUSTUP_UPDATE_ROOT</code> set as "
         "above fetches it.</p>\n<ul>\n";
  for (const auto& [version, triples] : rustup.archive) {
    out << "<li data-rustup-version=\"" << escape(version) << "\">" << escape(version) << ": ";
    for (const auto& triple : triples) {
      out << "<code>" << escape(triple) << "</code> ";
    }
    out << "</li>\n";
  }
  out << "</ul>\n</section>\n";
}

void write_key(std::ostringstream& out, const TreeSummary& summary) {
  out << "<section id=\"key\"><h2>Signatures</h2>\n";
  if (summary.fingerprint.empty()) {
    out << "<p>This tree is not signed. Every file has a <code>.sha256</code>.</p></section>\n";
    return;
  }
  // One fingerprint per line of release-key.fingerprint: two during a key rotation.
  std::vector<std::string> keys;
  std::istringstream lines(summary.fingerprint);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) {
      keys.push_back(line);
    }
  }
  out << "<p>Every file has a <code>.sha256</code> and a detached OpenPGP signature "
         "<code>.asc</code>. "
      << (keys.size() > 1 ? "The signing keys are changing: every signature file holds one "
                            "signature by each of these keys, and either key alone checks it. "
                            "Fingerprints:"
                          : "Signing key fingerprint:")
      << "</p>\n"
      << "<p><code class=\"hash\" id=\"fingerprint\" data-fingerprint=\"" << escape(keys.front())
      << "\">" << escape(grouped_fingerprint(keys.front())) << "</code>";
  for (std::size_t i = 1; i < keys.size(); ++i) {
    out << "<br><code class=\"hash\" data-fingerprint=\"" << escape(keys[i]) << "\">"
        << escape(grouped_fingerprint(keys[i])) << "</code>";
  }
  out << "</p>\n<pre>curl -O <span class=\"origin\">" << k_placeholder
      << "</span>/release-key.asc\ngpg --show-keys release-key.asc   # compare the fingerprint\n"
         "gpg --import release-key.asc\n"
         "gpg --verify channel-rust-stable.toml.asc channel-rust-stable.toml</pre>\n"
      << "</section>\n";
}

// Signatures say who made a file, not that it is the newest: TUF metadata says that too.
void write_tuf(std::ostringstream& out, const TreeSummary& summary) {
  if (!summary.has_tuf) {
    return;
  }
  out << "<section id=\"tuf\"><h2>Freshness (TUF)</h2>\n"
      << "<p>This tree carries TUF metadata in <code><span class=\"origin\">" << k_placeholder
      << "</span>/tuf/</code>: a TUF client that trusts this tree's <code>1.root.json</code> "
         "(obtained out of band, like the key above) refreshes from there and refuses a tree "
         "that is stale, rolled back or incomplete.</p>\n"
      << "<pre>metadata base URL: <span class=\"origin\">" << k_placeholder
      << "</span>/tuf\ntarget base URL:   <span class=\"origin\">" << k_placeholder
      << "</span></pre>\n</section>\n";
}

} // namespace

std::string render_index_page(const TreeSummary& summary) {
  std::ostringstream out;
  const IndexRelease* release = main_release(summary);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>Rust toolchains"
      << (release ? " \u2014 " + escape(release->rust_version) : std::string()) << "</title>\n"
      << "<style>" << k_css << "</style>\n</head>\n<body>\n<header><h1>Rust toolchains</h1>\n"
      << "<p class=\"lead\">A static distribution tree made by distbuild: channel manifests, "
         "installer tarballs, checksums"
      << (summary.fingerprint.empty() ? "" : " and signatures") << ".</p></header>\n<main>\n";
  // The matrix first: it is what people open the page for.
  write_availability(out, summary);
  write_setup(out, summary);
  write_channels(out, summary);
  write_archive(out, summary);
  write_rustup(out, summary);
  write_key(out, summary);
  write_tuf(out, summary);
  out << "</main>\n<script>" << k_script << "</script>\n</body>\n</html>\n";
  return out.str();
}

} // namespace distbuild::builder
