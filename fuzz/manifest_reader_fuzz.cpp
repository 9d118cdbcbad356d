// libFuzzer target: the channel manifest reader on arbitrary bytes, as an upstream server or a
// tampered tree could hand it over. A refusal must be a manifest::Error; anything else (another
// exception, a sanitizer report, a hang) is a finding. What parses must also survive our own
// writer: to_toml() of it parses back to the same model, so reader and writer agree.
#include "manifest/channel.hpp"
#include "manifest/validate.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace distbuild::manifest;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Channel channel;
  try {
    channel = parse_channel(text, "fuzz.toml");
  } catch (const Error&) {
    return 0;
  }
  (void)validate(channel);
  const std::string written = to_toml(channel);
  Channel again;
  try {
    again = parse_channel(written, "rewritten.toml");
  } catch (const Error&) {
    std::abort();  // our own output must parse
  }
  if (!(again == channel)) {
    std::abort();  // and mean the same
  }
  return 0;
}
