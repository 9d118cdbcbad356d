// The pack content cache: what changes the key (and what must not), hits giving the very bytes
// a fresh pack gives, corrupt or partial entries ignored and dropped, pruning, and the
// cache-directory rules. Every cache lives in a TempDir; the user's cache is never touched.
#include "builder/pack/pack_cache.hpp"

#include "builder/pack/pack.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;

using testutil::TempDir;

PackRequest request_for(const fs::path& image, const fs::path& out,
                        const std::optional<fs::path>& cache) {
  PackRequest request;
  request.package_name = "demo-1.0.0-x86_64-unknown-linux-gnu";
  request.components = {ComponentImage{"demo", image, {}}};
  request.output_dir = out;
  request.profile = Profile::Fast;
  request.cache_dir = cache;
  return request;
}

std::string key_of(const PackRequest& request, unsigned threads = 1) {
  return PackCache::key(plan_pack(request), request.formats, request.profile, request.mtime,
                        threads);
}

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const char* value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (m_old) {
      ::setenv(m_name, m_old->c_str(), 1);
    } else {
      ::unsetenv(m_name);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* m_name;
  std::optional<std::string> m_old;
};

std::vector<fs::path> entry_dirs(const fs::path& cache) {
  std::vector<fs::path> dirs;
  for (const CacheEntryInfo& entry : list_pack_cache(cache)) {
    dirs.push_back(entry.dir);
  }
  return dirs;
}

TEST(PackCache, SecondPackIsAHitWithIdenticalBytes) {
  TempDir tmp;
  testutil::make_image(tmp / "image", {{"bin/demo*", "#!/bin/sh\necho demo\n"},
                                       {"lib/data.txt", std::string(100000, 'x')}});
  PackResult first = pack(request_for(tmp / "image", tmp / "a", tmp / "cache"));
  EXPECT_FALSE(first.from_cache);
  EXPECT_EQ(first.cache_note, std::nullopt);
  ASSERT_EQ(entry_dirs(tmp / "cache").size(), 1u);

  PackResult second = pack(request_for(tmp / "image", tmp / "b", tmp / "cache"));
  EXPECT_TRUE(second.from_cache);
  ASSERT_EQ(second.files.size(), 3u);
  EXPECT_EQ(second.tar_bytes, first.tar_bytes);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(second.files[i].format, first.files[i].format);
    EXPECT_EQ(second.files[i].path.parent_path(), tmp / "b");
    EXPECT_EQ(second.files[i].path.filename(), first.files[i].path.filename());
    EXPECT_EQ(testutil::read_file(second.files[i].path), testutil::read_file(first.files[i].path));
    EXPECT_EQ(second.files[i].sha256, testutil::sha256_file(second.files[i].path));
    EXPECT_EQ(second.files[i].size, fs::file_size(second.files[i].path));
  }
  EXPECT_EQ(testutil::dir_listing(tmp / "b"), testutil::dir_listing(tmp / "a"));
}

TEST(PackCache, AChangedFileMissesEvenWithSizeAndMtimeRestored) {
  TempDir tmp;
  testutil::make_image(tmp / "image", {{"lib/data.txt", "aaaa"}});
  pack(request_for(tmp / "image", tmp / "a", tmp / "cache"));
  const fs::path data = tmp / "image/lib/data.txt";
  const auto mtime = fs::last_write_time(data);
  testutil::write_file(data, "bbbb");  // same size
  fs::last_write_time(data, mtime);
  PackResult changed = pack(request_for(tmp / "image", tmp / "b", tmp / "cache"));
  EXPECT_FALSE(changed.from_cache);
  EXPECT_EQ(testutil::tarball_member(changed.files[0].path,
                                     "demo-1.0.0-x86_64-unknown-linux-gnu/demo/lib/data.txt"),
            "bbbb");
  EXPECT_EQ(entry_dirs(tmp / "cache").size(), 2u);
}

TEST(PackCache, KeyCoversEveryPackingOptionButNotThreadsOrInputPaths) {
  TempDir tmp;
  testutil::make_image(tmp / "image", {{"bin/tool*", "tool"}, {"lib/a.txt", "a"}});
  testutil::make_image(tmp / "copy", {{"bin/tool*", "tool"}, {"lib/a.txt", "a"}});
  const PackRequest base = request_for(tmp / "image", tmp / "out", std::nullopt);
  const std::string key = key_of(base);
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key_of(base, 4), key);
  EXPECT_EQ(key_of(request_for(tmp / "copy", tmp / "elsewhere", std::nullopt)), key);

  auto differs = [&](const char* what, auto change) {
    PackRequest request = base;
    change(request);
    EXPECT_NE(key_of(request), key) << what;
  };
  differs("profile", [](PackRequest& r) { r.profile = Profile::Balanced; });
  differs("formats", [](PackRequest& r) { r.formats = {Format::Gz, Format::Xz}; });
  differs("format order", [](PackRequest& r) { r.formats = {Format::Zst, Format::Xz, Format::Gz}; });
  differs("mtime", [](PackRequest& r) { r.mtime = 1; });
  differs("package name", [](PackRequest& r) { r.package_name = "demo-1.0.1-x86_64-unknown-linux-gnu"; });
  differs("component name", [](PackRequest& r) { r.components[0].component = "demo-preview"; });
  differs("bulk dir", [](PackRequest& r) { r.components[0].bulk_dirs = {"lib"}; });
  differs("overlay file", [](PackRequest& r) { r.overlay_files["version"] = "1.0.0\n"; });
  differs("install.sh", [](PackRequest& r) { r.script.success_message = "demo installed."; });

  ::chmod((tmp / "copy/bin/tool").c_str(), 0644);
  EXPECT_NE(key_of(request_for(tmp / "copy", tmp / "out", std::nullopt)), key) << "exec bit";
}

TEST(PackCache, CorruptOrPartialEntriesAreIgnoredAndDropped) {
  TempDir tmp;
  testutil::make_image(tmp / "image", {{"lib/data.txt", std::string(5000, 'd')}});
  const PackRequest request = request_for(tmp / "image", tmp / "a", tmp / "cache");
  const PackResult fresh = pack(request);
  const std::string key = key_of(request);
  const fs::path entry = tmp / "cache/v1" / key.substr(0, 2) / key;
  ASSERT_TRUE(fs::is_regular_file(entry / "entry.json"));
  PackCache cache(tmp / "cache");

  // Same size, one byte changed: only the hash can tell.
  std::string xz = testutil::read_file(entry / "tar.xz");
  xz[xz.size() / 2] ^= 1;
  fs::remove(entry / "tar.xz");  // it is a hard link to a/…tar.xz: never edit that in place
  testutil::write_file(entry / "tar.xz", xz);
  EXPECT_EQ(cache.fetch(key, tmp / "b/demo", request.formats), std::nullopt);
  EXPECT_FALSE(fs::exists(entry));
  EXPECT_FALSE(fs::exists(tmp / "b"));

  // Repacked and stored again, then half deleted: entry.json gone.
  PackResult again = pack(request_for(tmp / "image", tmp / "c", tmp / "cache"));
  EXPECT_FALSE(again.from_cache);
  EXPECT_EQ(again.files[1].sha256, fresh.files[1].sha256);
  fs::remove(entry / "entry.json");
  EXPECT_EQ(cache.fetch(key, tmp / "d/demo", request.formats), std::nullopt);

  // Truncated file.
  pack(request_for(tmp / "image", tmp / "e", tmp / "cache"));
  fs::remove(entry / "tar.gz");
  testutil::write_file(entry / "tar.gz", "");
  PackResult repacked = pack(request_for(tmp / "image", tmp / "f", tmp / "cache"));
  EXPECT_FALSE(repacked.from_cache);
  EXPECT_EQ(repacked.files[0].sha256, fresh.files[0].sha256);
  EXPECT_TRUE(pack(request_for(tmp / "image", tmp / "g", tmp / "cache")).from_cache);
}

TEST(PackCache, AHitNeedsEveryRequestedFormat) {
  TempDir tmp;
  testutil::make_image(tmp / "image", {{"lib/data.txt", "x"}});
  PackRequest request = request_for(tmp / "image", tmp / "a", tmp / "cache");
  pack(request);
  const std::string key = key_of(request);
  PackCache cache(tmp / "cache");
  fs::create_directories(tmp / "b");
  auto subset = cache.fetch(key, tmp / "b/demo", {Format::Zst});
  ASSERT_TRUE(subset);
  ASSERT_EQ(subset->files.size(), 1u);
  EXPECT_EQ(subset->files[0].path, tmp / "b/demo.tar.zst");
  EXPECT_TRUE(fs::exists(tmp / "b/demo.tar.zst"));
  EXPECT_FALSE(fs::exists(tmp / "b/demo.tar.gz"));
}

TEST(PackCache, AnUnwritableCacheOnlyLosesTheCache) {
  TempDir tmp;
  testutil::make_image(tmp / "image", {{"lib/data.txt", "x"}});
  testutil::write_file(tmp / "not-a-dir", "file");
  PackResult result = pack(request_for(tmp / "image", tmp / "a", tmp / "not-a-dir"));
  EXPECT_FALSE(result.from_cache);
  ASSERT_TRUE(result.cache_note);
  EXPECT_NE(result.cache_note->find("cannot add to the pack cache: "), std::string::npos)
      << *result.cache_note;
  EXPECT_EQ(result.files.size(), 3u);
  EXPECT_TRUE(fs::exists(result.files[0].path));
}

TEST(PackCache, PruneBySizeKeepsTheMostRecentlyUsed) {
  TempDir tmp;
  std::vector<std::string> keys;
  for (int i = 0; i < 3; ++i) {
    fs::path image = tmp / ("image" + std::to_string(i));
    testutil::make_image(image, {{"lib/data.txt", std::string(1000 * (i + 1), 'a' + i)}});
    PackRequest request = request_for(image, tmp / ("out" + std::to_string(i)), tmp / "cache");
    pack(request);
    keys.push_back(key_of(request));
  }
  // Make the use order explicit: entry 1 oldest, then 2, then 0 (just used).
  const auto now = fs::file_time_type::clock::now();
  auto set_used = [&](int i, std::chrono::hours ago) {
    fs::last_write_time(tmp / "cache/v1" / keys[i].substr(0, 2) / keys[i] / "entry.json",
                        now - ago);
  };
  set_used(1, std::chrono::hours(72));
  set_used(2, std::chrono::hours(48));
  set_used(0, std::chrono::hours(0));
  std::vector<CacheEntryInfo> listed = list_pack_cache(tmp / "cache");
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].key, keys[1]);
  EXPECT_EQ(listed[2].key, keys[0]);

  CachePruneOptions by_size;
  by_size.max_bytes = listed[2].bytes + listed[1].bytes;
  CachePruneResult pruned = prune_pack_cache(tmp / "cache", by_size);
  EXPECT_EQ(pruned.removed_entries, 1u);
  EXPECT_EQ(pruned.removed_bytes, listed[0].bytes);
  EXPECT_EQ(pruned.kept_entries, 2u);

  CachePruneOptions by_age;
  by_age.older_than = std::chrono::hours(24);
  pruned = prune_pack_cache(tmp / "cache", by_age);
  EXPECT_EQ(pruned.removed_entries, 1u);
  ASSERT_EQ(list_pack_cache(tmp / "cache").size(), 1u);
  EXPECT_EQ(list_pack_cache(tmp / "cache")[0].key, keys[0]);

  // The pruned ones are packed again; the kept one still hits.
  EXPECT_TRUE(pack(request_for(tmp / "image0", tmp / "x0", tmp / "cache")).from_cache);
  EXPECT_FALSE(pack(request_for(tmp / "image1", tmp / "x1", tmp / "cache")).from_cache);

  CachePruneOptions everything;
  everything.all = true;
  EXPECT_EQ(prune_pack_cache(tmp / "cache", everything).kept_entries, 0u);
  EXPECT_TRUE(list_pack_cache(tmp / "cache").empty());
  // Pruning a cache that does not exist is not an error.
  EXPECT_EQ(prune_pack_cache(tmp / "nothing", everything).removed_entries, 0u);
}

TEST(PackCache, ParsesSizesAndAges) {
  EXPECT_EQ(parse_byte_size("1500"), 1500u);
  EXPECT_EQ(parse_byte_size("10k"), 10240u);
  EXPECT_EQ(parse_byte_size("512M"), 512ull << 20);
  EXPECT_EQ(parse_byte_size("2G"), 2ull << 30);
  EXPECT_EQ(parse_byte_size("2GiB"), 2ull << 30);
  EXPECT_EQ(parse_byte_size("1T"), 1ull << 40);
  EXPECT_EQ(parse_byte_size(""), std::nullopt);
  EXPECT_EQ(parse_byte_size("G"), std::nullopt);
  EXPECT_EQ(parse_byte_size("5X"), std::nullopt);
  EXPECT_EQ(parse_byte_size("-5"), std::nullopt);
  EXPECT_EQ(parse_age("45s"), std::chrono::seconds(45));
  EXPECT_EQ(parse_age("90m"), std::chrono::seconds(5400));
  EXPECT_EQ(parse_age("12h"), std::chrono::seconds(43200));
  EXPECT_EQ(parse_age("30d"), std::chrono::seconds(30 * 86400));
  EXPECT_EQ(parse_age("2w"), std::chrono::seconds(14 * 86400));
  EXPECT_EQ(parse_age("30"), std::nullopt);
  EXPECT_EQ(parse_age("d"), std::nullopt);
  EXPECT_EQ(parse_age("3dd"), std::nullopt);
}

TEST(PackCache, DirectoryComesFromTheEnvironmentInThisOrder) {
  ScopedEnv no_cache("DISTBUILD_NO_CACHE", nullptr);
  ScopedEnv explicit_dir("DISTBUILD_CACHE_DIR", nullptr);
  ScopedEnv xdg("XDG_CACHE_HOME", "/x/cache");
  ScopedEnv home("HOME", "/home/u");
  EXPECT_EQ(default_pack_cache_dir(), fs::path("/x/cache/distbuild/pack"));
  {
    ScopedEnv unset_xdg("XDG_CACHE_HOME", "");
    EXPECT_EQ(default_pack_cache_dir(), fs::path("/home/u/.cache/distbuild/pack"));
  }
  {
    ScopedEnv dir("DISTBUILD_CACHE_DIR", "/d");
    EXPECT_EQ(default_pack_cache_dir(), fs::path("/d"));
    EXPECT_EQ(resolve_pack_cache_dir(fs::path("/flag"), false), fs::path("/flag"));
    EXPECT_EQ(resolve_pack_cache_dir(std::nullopt, false), fs::path("/d"));
    EXPECT_EQ(resolve_pack_cache_dir(fs::path("/flag"), true), std::nullopt);
  }
  {
    ScopedEnv off("DISTBUILD_NO_CACHE", "1");
    EXPECT_EQ(resolve_pack_cache_dir(fs::path("/flag"), false), std::nullopt);
  }
  {
    ScopedEnv zero("DISTBUILD_NO_CACHE", "0");
    EXPECT_EQ(resolve_pack_cache_dir(std::nullopt, false), fs::path("/x/cache/distbuild/pack"));
  }
}

} // namespace
} // namespace distbuild::builder
