// take_split_slot (split_slot.hpp): a locked, persistent split work dir under the cache.
#include "builder/release/split_slot.hpp"

#include "builder/tree/fd.hpp"
#include "signing/sha256.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <system_error>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// An flock on <dir>/slot-<n>.lock, held while the returned Fd lives; invalid when busy.
std::shared_ptr<Fd> lock_slot(const fs::path& dir, int slot) {
  const fs::path lock = dir / ("slot-" + std::to_string(slot) + ".lock");
  auto fd = std::make_shared<Fd>(::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (fd->valid() && ::flock(fd->get(), LOCK_EX | LOCK_NB) == 0) {
    return fd;
  }
  return nullptr;
}

} // namespace

std::optional<SplitSlot> take_split_slot(const fs::path& split_cache, const fs::path& input,
                                         const std::vector<std::string>& packages,
                                         const std::string& host) {
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(input, ec);
  if (ec) {
    return std::nullopt;
  }
  std::string key = real.string() + "\n" + host + "\n";
  for (const auto& package : packages) {
    key += package + ",";
  }
  const fs::path dir = split_cache / signing::sha256_hex(key).substr(0, 32);
  fs::create_directories(dir, ec);
  if (ec) {
    return std::nullopt;
  }
  for (int slot = 0; slot < k_split_slots; ++slot) {
    if (auto lease = lock_slot(dir, slot)) {
      return SplitSlot{dir / ("slot-" + std::to_string(slot)), std::move(lease)};
    }
  }
  return std::nullopt;
}

std::size_t remove_idle_split_slots(const fs::path& split_cache) {
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& key : fs::directory_iterator(split_cache, ec)) {
    for (int slot = 0; slot < k_split_slots; ++slot) {
      const fs::path dir = key.path() / ("slot-" + std::to_string(slot));
      std::error_code exists_ec;
      if (!fs::exists(dir, exists_ec)) {
        continue;
      }
      if (auto lease = lock_slot(key.path(), slot)) {
        std::error_code remove_ec;
        fs::remove_all(dir, remove_ec);
        removed += remove_ec ? 0 : 1;
      }
    }
  }
  return removed;
}

} // namespace distbuild::builder
