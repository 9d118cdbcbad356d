// The HTTP side of `distbuild serve` (see serve.hpp). Every request goes through one handler:
// resolve_request_path() decides, then the file is opened once (O_NOFOLLOW, so a file swapped
// for a symlink after the check is not followed) and streamed with pread from that descriptor;
// a Range header is decided by answer_range() (byte_range.hpp), not by httplib.
#include "builder/web/serve.hpp"

#include "builder/tree/error.hpp"
#include "builder/web/byte_range.hpp"
#include "builder/web/serve_path.hpp"
#include "builder/tree/fd.hpp"

#include <httplib.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <optional>
#include <ctime>
#include <thread>
#include <vector>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_chunk = 256 * 1024;

std::string host_for_url(const std::string& bind) {
  if (bind == "0.0.0.0" || bind == "::" || bind.empty()) {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0 && name[0] != '\0') {
      return name;
    }
    return "localhost";
  }
  if (bind.find(':') != std::string::npos) {
    return "[" + bind + "]";  // an IPv6 literal in a URL
  }
  return bind;
}

void send_error(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text + "\n", "text/plain; charset=utf-8");
}

// Streams `file` (already checked) as the response, or the one byte range asked for
// (byte_range.hpp decides; httplib only sends HEAD without the body).
void send_file(const fs::path& file, const httplib::Request& req, httplib::Response& res) {
  auto fd = std::make_shared<Fd>(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  struct stat info {};
  if (fd->get() < 0 || ::fstat(fd->get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    send_error(res, 404, "404 Not Found");
    return;
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  std::optional<std::string> range;
  if (req.has_header("Range")) {
    range = req.get_header_value("Range");
  }
  const ByteRangeAnswer answer = answer_range(range, size);
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Cache-Control", "no-cache");  // channel manifests change in place
  if (answer.kind == ByteRangeAnswer::Unsatisfiable) {
    res.set_header("Content-Range", answer.content_range(size));
    send_error(res, 416, "416 Range Not Satisfiable");
    return;
  }
  res.status = answer.status();
  std::uint64_t base = 0;
  std::uint64_t length = size;
  if (answer.kind == ByteRangeAnswer::Partial) {
    res.set_header("Content-Range", answer.content_range(size));
    base = answer.offset;
    length = answer.length;
  }
  // httplib asks for [offset, offset + length) of what it was given: `length` bytes, so every
  // read below stays inside [base, base + length), within the file.
  res.set_content_provider(
      static_cast<std::size_t>(length), content_type_for(file),
      [fd, base](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        offset += static_cast<std::size_t>(base);
        std::vector<char> buffer(std::min(length, k_chunk));
        while (length > 0) {
          ssize_t got = ::pread(fd->get(), buffer.data(), std::min(length, buffer.size()),
                                static_cast<off_t>(offset));
          if (got < 0 && errno == EINTR) {
            continue;
          }
          if (got <= 0) {
            return false;  // truncated under us: drop the connection rather than lie
          }
          if (!sink.write(buffer.data(), static_cast<std::size_t>(got))) {
            return false;
          }
          offset += static_cast<std::size_t>(got);
          length -= static_cast<std::size_t>(got);
        }
        return true;
      });
}

// One request: the path decides (serve_path.hpp), then the file and the range are sent.
void answer_request(const fs::path& root, const httplib::Request& req, httplib::Response& res) {
  // httplib parsed Range into req.ranges and would re-apply it to whatever is answered here,
  // with the arithmetic that made this file's 206s wrong; emptied, it leaves the response as
  // built. The Request is httplib's own non-const local, handed over as const: clearing it is
  // well-defined, and httplib reads it again only to apply ranges.
  const_cast<httplib::Request&>(req).ranges.clear();
  ResolvedPath resolved = resolve_request_path(root, req.path, req.target);
  switch (resolved.verdict) {
    case PathVerdict::BadRequest:
      send_error(res, 400, "400 Bad Request");
      return;
    case PathVerdict::NotFound:
      send_error(res, 404, "404 Not Found");
      return;
    case PathVerdict::Ok:
      send_file(resolved.file, req, res);
      return;
  }
}

} // namespace

struct TreeServer::Impl {
  httplib::Server server;
  fs::path root;
  std::string bind;
  int port = 0;
};

TreeServer::TreeServer(const ServeOptions& options) : m_impl(std::make_unique<Impl>()) {
  std::error_code ec;
  if (!fs::is_directory(options.tree, ec)) {
    throw Error(options.tree, "is not a directory");
  }
  m_impl->root = fs::weakly_canonical(fs::absolute(options.tree), ec);
  if (ec) {
    throw Error(options.tree, "cannot resolve: " + ec.message());
  }
  if (is_gnupg_home(m_impl->root)) {
    throw Error(options.tree, "looks like a GnuPG home (it holds key files); refusing to serve it");
  }
  m_impl->bind = options.bind;
  if (options.port < 0 || options.port > 65535) {
    throw Error(std::string("--port"), std::to_string(options.port) + " is not a port number");
  }

  Impl* impl = m_impl.get();
  auto handler = [impl](const httplib::Request& req, httplib::Response& res) {
    answer_request(impl->root, req, res);
  };
  impl->server.Get(".*", handler);  // GET and HEAD (httplib answers HEAD with GET's headers)
  impl->server.set_error_handler([impl](const httplib::Request& req, httplib::Response& res) {
    // httplib refuses a Range header it cannot parse with a bare 416 before any handler runs;
    // RFC 9110 wants an unknown unit ignored, so such a request is answered like any other.
    if (res.status == 416 && !res.has_header("Content-Range") &&
        (req.method == "GET" || req.method == "HEAD")) {
      res.status = -1;
      answer_request(impl->root, req, res);
      return;
    }
    if (res.body.empty() && res.content_length_ == 0) {
      res.set_content(std::to_string(res.status) + "\n", "text/plain; charset=utf-8");
    }
  });
  if (options.access_log) {
    auto log = options.access_log;
    impl->server.set_logger([log](const httplib::Request& req, const httplib::Response& res) {
      std::string line = req.method + " " + req.target + " " + std::to_string(res.status);
      if (req.has_header("Range")) {
        line += " (" + req.get_header_value("Range") + ")";
      }
      log(line);
    });
  }

  errno = 0;
  if (options.port == 0) {
    impl->port = impl->server.bind_to_any_port(options.bind);
  } else {
    impl->port = impl->server.bind_to_port(options.bind, options.port) ? options.port : -1;
  }
  if (impl->port <= 0) {
    throw Error(options.bind + ":" + std::to_string(options.port),
                errno != 0 ? errno_text("cannot listen") : "cannot listen");
  }
}

TreeServer::~TreeServer() {
  m_impl->server.stop();
}

int TreeServer::port() const {
  return m_impl->port;
}

std::string TreeServer::url() const {
  return "http://" + host_for_url(m_impl->bind) + ":" + std::to_string(m_impl->port);
}

const fs::path& TreeServer::root() const {
  return m_impl->root;
}

void TreeServer::run() {
  m_impl->server.listen_after_bind();
}

void TreeServer::stop() {
  m_impl->server.stop();
}

void run_until_signal(TreeServer& server) {
  // Block the signals in this thread before httplib starts its workers (they inherit the mask),
  // so they are only ever taken by sigtimedwait below: stop() then runs in a normal thread, not
  // in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  std::atomic<bool> finished{false};
  std::thread waiter([&] {
    const timespec tick{0, 200 * 1000 * 1000};
    while (!finished.load()) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        // stop() does nothing while the listener is still starting: repeat until it ends.
        while (!finished.load()) {
          server.stop();
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return;
      }
    }
  });
  server.run();
  finished = true;
  waiter.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

} // namespace distbuild::builder
