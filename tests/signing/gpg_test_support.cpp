// See gpg_test_support.hpp.
#include "tests/signing/gpg_test_support.hpp"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace distbuild::signing::test {

bool have_gnupg_tools() {
  return testutil::find_tool("gpg") && testutil::find_tool("gpgv") &&
         testutil::find_tool("gpgconf") && testutil::find_tool("gpg-connect-agent");
}

GpgHome::GpgHome() {
  testutil::write_file(path() / "gpg-agent.conf", "s2k-count 65536\n");
}

testutil::ProcessResult GpgHome::gpg(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"gpg", "--homedir", path().string(), "--batch", "--no-tty"};
  argv.insert(argv.end(), args.begin(), args.end());
  return testutil::run_process(argv);
}

std::string GpgHome::quick_gen_key(const std::string& user_id, const std::string& algo,
                                   const std::string& passphrase) const {
  testutil::ProcessResult r = gpg({"--pinentry-mode", "loopback", "--passphrase", passphrase,
                                   "--quick-gen-key", user_id, algo, "sign", "never"});
  if (r.exit_code != 0) {
    throw std::runtime_error("gpg --quick-gen-key failed: " + r.err);
  }
  std::vector<std::string> fprs = secret_fingerprints();
  if (fprs.empty()) {
    throw std::runtime_error("gpg made no key");
  }
  return fprs.back();
}

std::vector<std::string> GpgHome::secret_fingerprints() const {
  testutil::ProcessResult r = gpg({"--with-colons", "--list-secret-keys"});
  std::vector<std::string> out;
  std::istringstream lines(r.out);
  std::string line;
  bool after_sec = false;
  while (std::getline(lines, line)) {
    if (line.rfind("sec:", 0) == 0) {
      after_sec = true;
    } else if (line.rfind("fpr:", 0) == 0 && after_sec) {
      // fpr:::::::::<FINGERPRINT>:
      std::size_t start = 0;
      for (int i = 0; i < 9; ++i) {
        start = line.find(':', start) + 1;
      }
      out.push_back(line.substr(start, line.find(':', start) - start));
      after_sec = false;
    }
  }
  return out;
}

void GpgHome::prefer_sha512() const {
  testutil::write_file(path() / "gpg.conf", "personal-digest-preferences SHA512\n");
}

ScopedEnv::ScopedEnv(const char* name, const char* value) : m_name(name) {
  if (const char* old = std::getenv(name)) {
    m_old = old;
  }
  value != nullptr ? ::setenv(name, value, 1) : ::unsetenv(name);
}

ScopedEnv::~ScopedEnv() {
  m_old ? ::setenv(m_name, m_old->c_str(), 1) : ::unsetenv(m_name);
}

std::string list_packets(const fs::path& armored_file) {
  // A scratch home keeps gpg away from the user's ~/.gnupg.
  GpgHome scratch;
  return scratch.gpg({"--list-packets", armored_file.string()}).out;
}

std::vector<int> digest_algos_of(const fs::path& armored_file) {
  std::vector<int> algos;
  std::istringstream lines(list_packets(armored_file));
  std::string line;
  const std::string marker = "digest algo ";
  while (std::getline(lines, line)) {
    std::size_t at = line.find(marker);
    if (at != std::string::npos) {
      algos.push_back(std::stoi(line.substr(at + marker.size())));
    }
  }
  return algos;
}

void dearmor_to_keyring(const std::string& armored_key, const fs::path& keyring) {
  const fs::path armored = keyring.string() + ".asc";
  testutil::write_file(armored, armored_key);
  GpgHome scratch;
  testutil::ProcessResult r =
      scratch.gpg({"--yes", "--output", keyring.string(), "--dearmor", armored.string()});
  if (r.exit_code != 0) {
    throw std::runtime_error("gpg --dearmor failed: " + r.err);
  }
}

} // namespace distbuild::signing::test
