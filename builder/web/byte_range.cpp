// answer_range(): the Range rules of byte_range.hpp, on the header text alone.
#include "builder/web/byte_range.hpp"

#include <cctype>
#include <vector>

namespace distbuild::builder {

namespace {

// At most 19 digits: anything longer cannot be an offset into a file and would overflow.
constexpr std::size_t k_max_digits = 19;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// A non-empty run of digits; nullopt otherwise (or when too long to be an offset).
std::optional<std::uint64_t> number(std::string_view text) {
  if (text.empty() || text.size() > k_max_digits) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

struct Spec {
  std::optional<std::uint64_t> first, last;  // no first: suffix-range of `last` bytes
};

// "a-b", "a-" or "-n"; nullopt when malformed (last < first included, RFC 9110 14.1.1).
std::optional<Spec> parse_spec(std::string_view text) {
  text = trim(text);
  std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view left = text.substr(0, dash);
  std::string_view right = text.substr(dash + 1);
  Spec spec;
  if (left.empty()) {
    spec.last = number(right);
    return spec.last ? std::optional<Spec>(spec) : std::nullopt;
  }
  spec.first = number(left);
  if (!spec.first) {
    return std::nullopt;
  }
  if (!right.empty()) {
    spec.last = number(right);
    if (!spec.last || *spec.last < *spec.first) {
      return std::nullopt;
    }
  }
  return spec;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

} // namespace

std::string ByteRangeAnswer::content_range(std::uint64_t size) const {
  switch (kind) {
    case Whole:
      return "";
    case Partial:
      return "bytes " + std::to_string(offset) + "-" + std::to_string(offset + length - 1) + "/" +
             std::to_string(size);
    case Unsatisfiable:
      return "bytes */" + std::to_string(size);
  }
  return "";
}

ByteRangeAnswer answer_range(const std::optional<std::string_view>& header, std::uint64_t size) {
  ByteRangeAnswer whole;
  if (!header) {
    return whole;
  }
  std::string_view text = trim(*header);
  std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || !equals_ignoring_case(trim(text.substr(0, equals)),
                                                                "bytes")) {
    return whole;  // another unit: MUST be ignored
  }
  std::vector<Spec> specs;
  std::string_view rest = text.substr(equals + 1);
  for (;;) {
    std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    if (!trim(item).empty()) {  // empty list elements are allowed (RFC 9110 5.6.1)
      auto spec = parse_spec(item);
      if (!spec) {
        return whole;  // an invalid ranges-set: ignored
      }
      specs.push_back(*spec);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  if (specs.empty()) {
    return whole;
  }
  std::vector<ByteRangeAnswer> satisfiable;
  for (const Spec& spec : specs) {
    ByteRangeAnswer part;
    part.kind = ByteRangeAnswer::Partial;
    if (!spec.first) {
      if (*spec.last == 0 || size == 0) {
        continue;
      }
      part.length = *spec.last < size ? *spec.last : size;
      part.offset = size - part.length;  // part.length <= size: checked just above
    } else {
      if (*spec.first >= size) {
        continue;
      }
      part.offset = *spec.first;
      std::uint64_t end = spec.last && *spec.last < size ? *spec.last : size - 1;  // size > 0
      part.length = end - part.offset + 1;  // end >= offset: last >= first, first < size
    }
    satisfiable.push_back(part);
  }
  if (satisfiable.empty()) {
    ByteRangeAnswer none;
    none.kind = ByteRangeAnswer::Unsatisfiable;
    return none;
  }
  return satisfiable.size() == 1 && specs.size() == 1 ? satisfiable.front() : whole;
}

} // namespace distbuild::builder
