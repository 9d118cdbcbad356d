// Fetcher: one reused libcurl easy handle (so one connection per server is kept alive across the
// many files of a mirror), a retry loop around each transfer, and the .part-then-rename rule of
// fetch.hpp. Local sources go through the same hash check but are simply copied.
#include "builder/upstream/fetch.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/human_units.hpp"
#include "builder/tree/fd.hpp"
#include "builder/tree/output_path.hpp"
#include "signing/sha256.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_file_scheme = "file://";

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

// The partial file of one transfer; closed explicitly before it is hashed.
class PartFile {
public:
  explicit PartFile(const fs::path& path)
      // O_NOFOLLOW, O_NONBLOCK (a fifo without a reader fails instead of blocking) and the type
      // check: a link or fifo planted at the .part name is never written through.
      : m_fd(::open(path.c_str(),
                    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644)) {
    if (!m_fd.valid()) {
      throw Error(path, errno_text("cannot open for writing"));
    }
    struct stat info {};
    if (::fstat(m_fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
      throw Error(path, "is not a regular file");
    }
  }
  int fd() const { return m_fd.get(); }
  void close(const fs::path& path) {
    if (!m_fd.close()) {
      throw Error(path, errno_text("cannot close"));
    }
  }

private:
  Fd m_fd;
};

std::string file_name_of(const std::string& location) {
  auto slash = location.find_last_of('/');
  return slash == std::string::npos ? location : location.substr(slash + 1);
}

// What one attempt ended with.
struct AttemptResult {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string error;  // curl's own text, when code != CURLE_OK
};

bool is_missing(long status) {
  return status == 404 || status == 410;
}

// Errors worth another try: the network or the server hiccuped, the request itself was fine.
bool is_transient(const AttemptResult& result) {
  switch (result.code) {
    case CURLE_OK:
      return result.status >= 500 || result.status == 408 || result.status == 429;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::string describe(const AttemptResult& result) {
  if (result.code != CURLE_OK) {
    return result.error.empty() ? curl_easy_strerror(result.code) : result.error;
  }
  return "HTTP " + std::to_string(result.status);
}

} // namespace

std::optional<fs::path> local_path_of(const std::string& location) {
  if (location.rfind(k_file_scheme, 0) == 0) {
    return fs::path(location.substr(std::char_traits<char>::length(k_file_scheme)));
  }
  if (location.find("://") != std::string::npos) {
    return std::nullopt;
  }
  return fs::path(location);
}

std::string join_location(const std::string& base, const std::string& rel) {
  std::string left = base;
  while (left.ends_with("/")) {
    left.pop_back();
  }
  std::string right = rel;
  while (right.starts_with("/")) {
    right.erase(0, 1);
  }
  return left + "/" + right;
}

struct Fetcher::Impl {
  FetchOptions options;
  FetchStats stats;
  EasyHandle easy;
  std::size_t files_left = 0;

  // State of the transfer in progress, read by the callbacks.
  std::string* memory = nullptr;
  std::uint64_t memory_limit = 0;  // for `memory`: more bytes than this abort the transfer
  bool too_large = false;
  int fd = -1;
  std::uint64_t offset = 0;       // bytes already in the partial file when the attempt began
  bool first_chunk = true;
  bool discard = false;           // an error page: never part of the file
  std::string write_error;
  std::string current_name;
  std::chrono::steady_clock::time_point started, last_draw;

  static size_t on_data(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    return self->take(data, size * count);
  }

  size_t take(const char* data, size_t size) {
    if (first_chunk) {
      first_chunk = false;
      long status = 0;
      curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
      discard = status != 200 && status != 206;
      if (status == 200 && offset > 0 && fd >= 0) {
        // The server ignored the Range request and sends the whole file: start over.
        if (::ftruncate(fd, 0) != 0) {
          write_error = errno_text("cannot truncate the partial file");
          return 0;
        }
        offset = 0;
      }
    }
    if (discard) {
      return size;
    }
    if (memory != nullptr) {
      if (size > memory_limit - memory->size()) {  // memory->size() <= memory_limit always
        too_large = true;
        write_error = "larger than the limit";
        return 0;  // curl stops the transfer (CURLE_WRITE_ERROR)
      }
      memory->append(data, size);
    } else {
      size_t done = 0;
      while (done < size) {
        ssize_t n = ::write(fd, data + done, size - done);
        if (n < 0) {
          write_error = errno_text("cannot write the partial file");
          return 0;
        }
        done += static_cast<size_t>(n);
      }
    }
    stats.bytes += size;
    return size;
  }

  static int on_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
    static_cast<Impl*>(user)->draw(static_cast<std::uint64_t>(now),
                                   static_cast<std::uint64_t>(total), false);
    return 0;
  }

  void draw(std::uint64_t now, std::uint64_t total, bool force) {
    if (!options.progress) {
      return;
    }
    auto clock = std::chrono::steady_clock::now();
    if (!force && clock - last_draw < std::chrono::milliseconds(250)) {
      return;
    }
    last_draw = clock;
    double seconds = std::chrono::duration<double>(clock - started).count();
    std::string line = current_name + ": " + human_bytes(double(offset + now));
    if (total > 0) {
      line += " / " + human_bytes(double(offset + total));
    }
    if (seconds > 0.05) {
      line += ", " + human_rate(double(now) / seconds);
    }
    line += ", " + std::to_string(files_left) + " files left";
    std::cerr << "\r\033[K" << line << std::flush;
  }

  void clear_line() {
    if (options.progress) {
      std::cerr << "\r\033[K" << std::flush;
    }
  }

  AttemptResult attempt(const std::string& url) {
    ++stats.requests;
    CURL* handle = easy.get();
    curl_easy_reset(handle);
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "distbuild");
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
    // A stalled transfer (the server stopped sending) counts as broken and is retried.
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, options.stall_seconds);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Impl::on_data);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, options.progress ? 0L : 1L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &Impl::on_progress);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, this);
    if (offset > 0) {
      curl_easy_setopt(handle, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(offset));
      ++stats.resumed;
    }
    first_chunk = true;
    discard = false;
    too_large = false;
    write_error.clear();
    started = std::chrono::steady_clock::now();
    AttemptResult result;
    result.code = curl_easy_perform(handle);
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.status);
    result.error = !write_error.empty() ? write_error : std::string(error);
    if (result.code == CURLE_OK && offset > 0 && result.status == 416) {
      result.status = 416;  // the partial file is not a prefix of this resource
    }
    return result;
  }

  void wait_before_retry(int attempt_number) {
    ++stats.retries;
    auto delay = options.backoff * (1 << (attempt_number - 1));
    std::this_thread::sleep_for(delay);
  }
};

Fetcher::Fetcher(FetchOptions options) : m_impl(std::make_unique<Impl>()) {
  init_curl_once();
  m_impl->options = options;
  if (m_impl->options.attempts < 1) {
    m_impl->options.attempts = 1;
  }
  m_impl->easy.reset(curl_easy_init());
  if (!m_impl->easy) {
    throw Error(std::string("libcurl"), "curl_easy_init failed");
  }
}

Fetcher::~Fetcher() = default;

void Fetcher::set_files_left(std::size_t files_left) {
  m_impl->files_left = files_left;
}

const FetchStats& Fetcher::stats() const {
  return m_impl->stats;
}

std::optional<std::string> Fetcher::get_optional(const std::string& location,
                                                 std::uint64_t max_bytes, std::string_view what) {
  Impl& impl = *m_impl;
  if (auto local = local_path_of(location)) {
    ++impl.stats.requests;
    std::error_code ec;
    if (!fs::is_regular_file(*local, ec)) {
      return std::nullopt;
    }
    std::string bytes = read_file_limited(*local, max_bytes, what);
    impl.stats.bytes += bytes.size();
    return bytes;
  }
  AttemptResult last;
  for (int attempt = 1; attempt <= impl.options.attempts; ++attempt) {
    std::string body;
    impl.memory = &body;
    impl.memory_limit = max_bytes;
    impl.fd = -1;
    impl.offset = 0;
    impl.current_name = file_name_of(location);
    last = impl.attempt(location);
    impl.memory = nullptr;
    impl.clear_line();
    if (impl.too_large) {
      throw Error(location, "is larger than " + limit_text(max_bytes) + ", the limit for " +
                                std::string(what) + "; refusing it");
    }
    if (last.code == CURLE_OK && last.status == 200) {
      return body;
    }
    if (last.code == CURLE_OK && is_missing(last.status)) {
      return std::nullopt;
    }
    if (!is_transient(last) || attempt == impl.options.attempts) {
      break;
    }
    impl.wait_before_retry(attempt);
  }
  throw Error(location, "download failed after " + std::to_string(impl.options.attempts) +
                            " attempts: " + describe(last));
}

std::string Fetcher::get(const std::string& location, std::uint64_t max_bytes,
                         std::string_view what) {
  auto bytes = get_optional(location, max_bytes, what);
  if (!bytes) {
    throw Error(location, "not found");
  }
  return *bytes;
}

FetchOutcome Fetcher::fetch_file(const std::string& location, const fs::path& dest,
                                 const std::string& sha256) {
  Impl& impl = *m_impl;
  std::error_code ec;
  check_replaceable(dest);  // a directory, device or fifo there is refused before any download
  if (fs::is_regular_file(dest, ec) && signing::sha256_file_hex(dest) == sha256) {
    ++impl.stats.files_present;
    return FetchOutcome::Present;
  }
  fs::create_directories(dest.parent_path(), ec);
  const fs::path part = dest.parent_path() / ("." + dest.filename().string() + ".part");
  auto finish = [&](bool resumed_some) -> bool {
    std::string got = signing::sha256_file_hex(part);
    if (got == sha256) {
      rename_into_place(part, dest);
      ++impl.stats.files_downloaded;
      return true;
    }
    fs::remove(part, ec);
    if (resumed_some) {
      return false;  // the old partial bytes may be what is wrong: one fresh try
    }
    throw Error(location, "SHA-256 " + got + " differs from the manifest's " + sha256 +
                              "; the file was not written to the tree");
  };

  if (auto local = local_path_of(location)) {
    ++impl.stats.requests;
    if (!fs::is_regular_file(*local, ec)) {
      throw Error(location, "not found");
    }
    fs::remove(part, ec);  // copy_file would follow a link planted at the .part name
    fs::copy_file(*local, part, fs::copy_options::none, ec);
    if (ec) {
      fs::remove(part, ec);
      throw Error(location, "cannot copy to " + part.string() + ": " + ec.message());
    }
    impl.stats.bytes += fs::file_size(part);
    finish(false);
    return FetchOutcome::Downloaded;
  }

  AttemptResult last;
  bool fresh_retry_used = false;
  impl.current_name = file_name_of(location);
  for (int attempt = 1; attempt <= impl.options.attempts; ++attempt) {
    std::uint64_t existing = fs::is_regular_file(part, ec) ? fs::file_size(part, ec) : 0;
    {
      PartFile file(part);
      impl.fd = file.fd();
      impl.memory = nullptr;
      impl.offset = existing;
      last = impl.attempt(location);
      impl.fd = -1;
      file.close(part);
    }
    impl.clear_line();
    bool resumed = existing > 0 && impl.offset > 0;
    if (last.code == CURLE_OK && (last.status == 200 || last.status == 206)) {
      if (finish(resumed)) {
        return FetchOutcome::Downloaded;
      }
      if (!fresh_retry_used) {
        fresh_retry_used = true;
        --attempt;
        continue;
      }
      throw Error(location, "SHA-256 differs from the manifest's " + sha256 +
                                "; the file was not written to the tree");
    }
    if (last.code == CURLE_OK && last.status == 416 && existing > 0) {
      fs::remove(part, ec);  // the partial file does not belong to this resource
      continue;
    }
    if (last.code == CURLE_OK && is_missing(last.status)) {
      fs::remove(part, ec);
      throw Error(location, "not found (" + describe(last) + ")");
    }
    if (!is_transient(last) || attempt == impl.options.attempts) {
      break;
    }
    impl.wait_before_retry(attempt);
  }
  throw Error(location, "download failed after " + std::to_string(impl.options.attempts) +
                            " attempts: " + describe(last) +
                            "; the partial file is kept to resume next time");
}

} // namespace distbuild::builder
