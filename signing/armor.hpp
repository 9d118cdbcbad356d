// OpenPGP ASCII armor (RFC 4880 section 6) both ways: what the fake signer writes, and how
// several signatures (one per key, during a key rotation) or public keys become one armored
// block: each block is dearmored, the packets are concatenated, and the whole is armored again.
// gpg reads such a block as it reads its own (`gpg --verify` checks every signature in it).
#pragma once

#include <string>
#include <string_view>

namespace distbuild::signing {

// Header line, blank line, base64 in 64-column lines, "=" + base64 of the CRC24, footer line.
std::string armor(std::string_view type, std::string_view payload);

// The binary packets of the first armored block of `type` in `text` (armor headers such as
// "Comment:" are skipped). Throws signing::Error ("armor") when there is no such block, the
// base64 is broken or the checksum does not match.
std::string dearmor(std::string_view type, std::string_view text);

} // namespace distbuild::signing
