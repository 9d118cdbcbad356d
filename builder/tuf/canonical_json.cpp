// canonical_json() (canonical_json.hpp). nlohmann's objects are std::maps keyed by std::string,
// so iterating one already yields the keys in byte order, which is code-point order for UTF-8
// and what the other implementations sort by for every name a tree can hold.
#include "builder/tuf/canonical_json.hpp"

#include "builder/tree/error.hpp"

namespace distbuild::builder::tuf {

namespace {

void append_string(std::string& out, const std::string& text) {
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  out.push_back('"');
}

void append(std::string& out, const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      out += "null";
      break;
    case nlohmann::json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer:
      out += std::to_string(value.get<std::int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned:
      out += std::to_string(value.get<std::uint64_t>());
      break;
    case nlohmann::json::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        append(out, element);
      }
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, element] : value.items()) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        append_string(out, key);
        out.push_back(':');
        append(out, element);
      }
      out.push_back('}');
      break;
    }
    default:
      throw Error(std::string("canonical JSON"),
                  "holds a " + std::string(value.type_name()) +
                      " (only integers, strings, booleans, null, arrays and objects)");
  }
}

} // namespace

std::string canonical_json(const nlohmann::json& value) {
  std::string out;
  append(out, value);
  return out;
}

} // namespace distbuild::builder::tuf
