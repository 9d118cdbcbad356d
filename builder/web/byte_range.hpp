// The Range header of a GET, decided per RFC 9110 section 14 before httplib sees it (httplib
// 0.11 answered `bytes=<past the end>-` with a 206 whose Content-Length had wrapped below zero,
// and a closed range past the end with an empty 206):
//   - no header, a unit other than "bytes" (which a server MUST ignore), or a header that does
//     not parse: the whole file, 200 (an invalid ranges-set MAY be ignored, section 14.2);
//   - one satisfiable range: 206 with exactly those bytes and "Content-Range: bytes a-b/size";
//   - no satisfiable range at all: 416 with "Content-Range: bytes */size" (section 15.5.17);
//   - several ranges, some satisfiable: the whole file, 200. RFC 9110 lets a server ignore a
//     Range header; rustup and curl resume with one range, and a multipart/byteranges body is
//     not worth its code here.
// A range-spec is satisfiable when its first byte is below the size (int-range) or when it is a
// non-zero suffix of a non-empty file (suffix-range, "-500": the last 500 bytes). Every offset
// and length below comes from comparisons made before the subtraction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace distbuild::builder {

struct ByteRangeAnswer {
  enum Kind { Whole, Partial, Unsatisfiable } kind = Whole;
  std::uint64_t offset = 0;  // Partial: first byte
  std::uint64_t length = 0;  // Partial: at least 1, offset + length <= size
  int status() const { return kind == Whole ? 200 : kind == Partial ? 206 : 416; }
  // The Content-Range value for Partial and Unsatisfiable; "" for Whole.
  std::string content_range(std::uint64_t size) const;
};

// `header` is the Range field value (nullopt: no Range header); `size` is the file's size.
ByteRangeAnswer answer_range(const std::optional<std::string_view>& header, std::uint64_t size);

} // namespace distbuild::builder
