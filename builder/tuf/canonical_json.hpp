// The canonical JSON that TUF signs (the OLPC form securesystemslib, python-tuf and tuf-js use):
// object keys sorted by their bytes, no whitespace, integers only (a float is refused), and in
// strings only `"` and `\` escaped, every other byte written as it is. A signature is over
// canonical_json(signed), never over the bytes of the file, so the file itself may be indented.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace distbuild::builder::tuf {

// Throws builder::Error when `value` holds a floating-point number (not representable).
std::string canonical_json(const nlohmann::json& value);

} // namespace distbuild::builder::tuf
