// `sign` is a writer of the tree like dist and mirror: it holds the tree lock, so it refuses to
// run while another run publishes (it would sign files that are being replaced).
#include "builder/release/sign_tree.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/publish.hpp"
#include "tests/signing/fake_signer.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

TEST(SignTree, RefusesWhileAnotherRunHoldsTheLock) {
  TempDir dir;
  const fs::path root = dir / "tree";
  testutil::write_file(root / "dist/channel-rust-stable.toml", "manifest\n");
  testutil::write_file(root / "dist/channel-rust-stable.toml.sha256", "x\n");
  signing::FakeSigner signer;
  {
    TreeLock publishing(root);  // what a dist run in progress holds
    try {
      sign_tree(signer, root);
      FAIL() << "sign ran while the tree was locked";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), root.string() + ": another distbuild run is writing this tree");
    }
    EXPECT_FALSE(fs::exists(root / "dist/channel-rust-stable.toml.asc"));
  }
  SignTreeResult result = sign_tree(signer, root);  // the lock is free again
  EXPECT_EQ(result.fingerprint, signer.fingerprint());
  EXPECT_TRUE(fs::exists(root / "dist/channel-rust-stable.toml.asc"));
}

} // namespace
} // namespace distbuild::builder
