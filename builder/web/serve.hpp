// `distbuild serve <tree>`: a static HTTP server for a dist tree, good enough for rustup and a
// team's mirror: GET and HEAD, byte ranges (rustup resumes partial downloads with Range),
// content types by file name, index.html for "/" and directories, no listings, and nothing
// outside the tree, hidden or secret ever sent (serve_path.hpp has the rules).
//
// cpp-httplib does the HTTP; files are streamed through a content provider in chunks (never read
// whole: a rustc tarball is hundreds of MB); byte ranges follow RFC 9110 (byte_range.hpp). The
// library stays out of this header so only serve.cpp is compiled against it.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace distbuild::builder {

struct ServeOptions {
  std::filesystem::path tree;
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: the kernel picks a free port (see TreeServer::port)
  // One line per request ("GET /dist/x.tar.xz 206 90"); may be empty. Called from worker threads.
  std::function<void(const std::string&)> access_log;
};

class TreeServer {
public:
  // Checks the tree and binds the socket; throws builder::Error naming the tree or the address.
  explicit TreeServer(const ServeOptions& options);
  ~TreeServer();
  TreeServer(const TreeServer&) = delete;
  TreeServer& operator=(const TreeServer&) = delete;

  int port() const;
  // "http://<host>:<port>": the bind address, or this machine's host name for 0.0.0.0 / ::.
  std::string url() const;
  const std::filesystem::path& root() const;

  // Serves until stop() is called (from another thread).
  void run();
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Serves until SIGINT or SIGTERM, then stops cleanly and returns.
void run_until_signal(TreeServer& server);

} // namespace distbuild::builder
