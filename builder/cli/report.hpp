// Pieces several commands share: option help texts, --mtime resolution, the signing options
// and the hook that signs published files, and the JSON form of results.
#pragma once

#include "builder/cli/commands.hpp"
#include "builder/release/dist.hpp"

#include "signing/signer.hpp"

#include <nlohmann/json.hpp>

#include <memory>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>
#include <optional>
#include <string>

namespace distbuild::cli {

inline constexpr const char* k_profile_help =
    "Compression profile: fast (gz 1, xz 1, zst 3), balanced (gz 6, xz 6, zst 12), "
    "best (gz 9, xz 9 with the dictionary sized to the input up to 128 MiB, zst 19)";

// --mtime, else SOURCE_DATE_EPOCH, else rust-installer's fixed default.
std::int64_t resolve_mtime(const std::optional<std::int64_t>& mtime);

struct SigningCli {
  std::vector<std::string> keys;                    // --sign-key, repeatable (a key rotation)
  bool rotate_keys = false;                         // --rotate-key
  std::optional<std::filesystem::path> gnupg_home;  // --gnupg-home
  std::optional<std::filesystem::path> passphrase_file;
  std::optional<std::string> passphrase_env;
  bool use_default_key = false;  // quickstart: distbuild's own key, made if missing
};

void add_signing_options(CLI::App* sub, SigningCli& signing);

// Null when no signing was asked for (signing::open_signer decides the home and key; quickstart's
// default key is made on first use). Says on stderr, unless --quiet, which key and home sign.
std::unique_ptr<signing::Signer> make_signer(const SigningCli& signing, Context& ctx);

bool is_tty_stderr();

// The opening every report shares: under --json prints make_doc() on stdout, under -q nothing;
// otherwise prints each note as "note: ..." and returns false, so the caller prints its text.
bool report_json_or_notes(const Context& ctx, const std::function<nlohmann::json()>& make_doc,
                          const std::vector<std::string>& notes);

nlohmann::json dist_result_json(const builder::DistResult& result);

} // namespace distbuild::cli
