// Request path -> file of the tree, or a refusal (rules in serve_path.hpp). Every check runs on
// our own decoding of the raw target as well as on the server's decoded path, so a server
// library that decodes differently (or twice, or not at all) cannot open a way out.
#include "builder/web/serve_path.hpp"
#include "manifest/artifact_format.hpp"

#include "builder/tree/safe_path.hpp"
#include "signing/sha256.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// Files whose presence marks a GnuPG home: nothing below such a directory is served.
constexpr std::array<std::string_view, 5> k_gnupg_markers{
    "private-keys-v1.d", "pubring.kbx", "trustdb.gpg", "secring.gpg", "pubring.gpg"};

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Percent-decoding of a path; nullopt for a malformed escape. '+' stays '+' (paths, not forms).
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) {
      return std::nullopt;
    }
    int high = signing::hex_digit_value(text[i + 1]);
    int low = signing::hex_digit_value(text[i + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// The path part of a request target: origin form "/a/b?q" or absolute form "http://h/a/b?q".
std::optional<std::string_view> target_path(std::string_view raw) {
  raw = raw.substr(0, raw.find_first_of("?#"));
  if (raw.starts_with("/")) {
    return raw;
  }
  for (std::string_view scheme : {"http://", "https://"}) {
    if (lowercase(raw.substr(0, scheme.size())) == scheme) {
      std::size_t slash = raw.find('/', scheme.size());
      return slash == std::string_view::npos ? std::string_view("/") : raw.substr(slash);
    }
  }
  return std::nullopt;
}

// Splits a decoded path into segments by the one rule for outside paths (safe_path.hpp): "."
// and empty segments drop out; "..", '\\', NUL and other control characters refuse the request.
// Hidden names are serve's own business (is_hidden_name: key material too), judged here.
std::optional<std::vector<std::string>> safe_segments(std::string_view path, bool& hidden) {
  while (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);  // an HTTP path is always below the root
  }
  PathRules rules;
  rules.allow_hidden = true;
  CheckedPath checked = check_outside_path(path, rules);
  if (checked.fault == PathFault::Empty) {
    return std::vector<std::string>{};  // "/": the root
  }
  if (!checked.ok()) {
    return std::nullopt;
  }
  for (const auto& segment : checked.segments) {
    hidden = hidden || is_hidden_name(segment);
  }
  return checked.segments;
}

bool is_inside(const fs::path& root, const fs::path& path) {
  auto [root_end, path_it] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

} // namespace

bool is_gnupg_home(const fs::path& dir) {
  std::error_code ec;
  return std::any_of(k_gnupg_markers.begin(), k_gnupg_markers.end(),
                     [&](std::string_view marker) { return fs::exists(dir / marker, ec); });
}

bool is_hidden_name(std::string_view name) {
  if (name.empty() || name.starts_with(".")) {
    return true;
  }
  const std::string lower = lowercase(name);
  for (std::string_view suffix : {".key", ".pem", ".p12", ".pfx", ".kbx", ".gpg", ".rev"}) {
    if (lower.ends_with(suffix)) {
      return true;
    }
  }
  for (std::string_view exact : {"private-keys-v1.d", "openpgp-revocs.d", "random_seed",
                                 "gpg.conf", "gpg-agent.conf", "sshcontrol", "tofu.db"}) {
    if (lower == exact) {
      return true;
    }
  }
  if (lower.starts_with("s.gpg-agent") || lower.starts_with("s.scdaemon") ||
      lower.starts_with("s.dirmngr") || lower.starts_with("s.keyboxd")) {
    return true;
  }
  return lower.find("secret") != std::string::npos || lower.find("secring") != std::string::npos ||
         lower.find("private-key") != std::string::npos ||
         lower.find("passphrase") != std::string::npos;
}

ResolvedPath resolve_request_path(const fs::path& canonical_root, std::string_view decoded,
                                  std::string_view raw) {
  auto raw_path = target_path(raw);
  if (!raw_path) {
    return {PathVerdict::BadRequest, {}};
  }
  auto raw_decoded = percent_decode(*raw_path);
  if (!raw_decoded) {
    return {PathVerdict::BadRequest, {}};
  }
  bool hidden = false;
  auto ours = safe_segments(*raw_decoded, hidden);
  auto theirs = safe_segments(decoded, hidden);
  if (!ours || !theirs) {
    return {PathVerdict::BadRequest, {}};
  }
  if (hidden || *ours != *theirs) {
    return {PathVerdict::NotFound, {}};
  }

  fs::path candidate = canonical_root;
  for (const auto& segment : *ours) {
    candidate /= segment;
  }
  std::error_code ec;
  if (fs::is_directory(candidate, ec)) {
    candidate /= "index.html";
  }
  fs::path resolved = fs::weakly_canonical(candidate, ec);
  if (ec || !is_inside(canonical_root, resolved)) {
    return {PathVerdict::NotFound, {}};
  }
  // A symlink may lead to a hidden place inside the tree: check what it resolved to, and that
  // no directory on the way is a GnuPG home.
  fs::path dir = canonical_root;
  if (is_gnupg_home(dir)) {
    return {PathVerdict::NotFound, {}};
  }
  fs::path relative = resolved.lexically_relative(canonical_root);
  for (auto it = relative.begin(); it != relative.end(); ++it) {
    if (is_hidden_name(it->string())) {
      return {PathVerdict::NotFound, {}};
    }
    dir /= *it;
    if (std::next(it) != relative.end() && is_gnupg_home(dir)) {
      return {PathVerdict::NotFound, {}};
    }
  }
  if (!fs::is_regular_file(resolved, ec)) {
    return {PathVerdict::NotFound, {}};
  }
  return {PathVerdict::Ok, resolved};
}

std::string content_type_for(const fs::path& file) {
  const std::string name = lowercase(file.filename().string());
  struct Mapping {
    std::string_view suffix;
    std::string_view type;
  };
  if (auto format = manifest::format_of_file(name)) {  // tarballs: the format table's type
    return std::string(manifest::format_info(*format).mime);
  }
  static constexpr std::array<Mapping, 11> k_types{{
      {".toml", "text/plain; charset=utf-8"},
      {".sha256", "text/plain; charset=utf-8"},
      {".asc", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".fingerprint", "text/plain; charset=utf-8"},
      {".sh", "text/plain; charset=utf-8"},
      {"sha256sums", "text/plain; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".png", "image/png"},
  }};
  for (const auto& mapping : k_types) {
    if (name.ends_with(mapping.suffix)) {
      return std::string(mapping.type);
    }
  }
  return "application/octet-stream";
}

} // namespace distbuild::builder
