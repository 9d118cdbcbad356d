// Which GnuPG home distbuild uses, decided by one rule for every command that makes, finds or
// uses a key (keygen, dist, sign, rustup, overlay, mirror, quickstart):
//   1. --gnupg-home, when given;
//   2. else $GNUPGHOME, when set and not empty (the home the user's own gpg uses);
//   3. else distbuild's own home, $XDG_DATA_HOME/distbuild/gnupg or ~/.local/share/distbuild/gnupg,
//      where `distbuild keygen` puts its key. The user's ~/.gnupg is used only when named.
// The chosen path is always concrete, so every message can name it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace distbuild::signing {

enum class HomeSource { option, environment, distbuild_default };

struct GnupgHome {
  std::filesystem::path path; // absolute
  HomeSource source = HomeSource::distbuild_default;

  // "<path> (from --gnupg-home)", "<path> (from GNUPGHOME)", "<path> (distbuild's default)".
  std::string describe() const;
};

// Throws signing::Error when none of the three can be found (no HOME and no passwd entry).
GnupgHome resolve_gnupg_home(const std::optional<std::filesystem::path>& option);

// $XDG_DATA_HOME/distbuild/gnupg (an absolute XDG_DATA_HOME only), or
// ~/.local/share/distbuild/gnupg.
std::filesystem::path default_distbuild_gnupg_home();

} // namespace distbuild::signing
