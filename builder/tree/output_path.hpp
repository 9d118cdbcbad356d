// What distbuild may replace when it writes an output. Every output is written to a temp name
// and renamed into place, and rename(2) replaces whatever the final name is: run as root,
// `--output-script /dev/null` once turned the machine's /dev/null into a regular file. So before
// a temp file is made, and again right before the rename, the final name is checked:
//   - nothing there, or a regular file: replaced (the normal case);
//   - a directory, a character or block device, a fifo or a socket: refused with an error
//     naming the path and what it is. Devices are refused too, even one the user named on
//     purpose: an output is never "written through" to something that is not a file, because
//     the rename that makes outputs atomic cannot be had for a device, and a half-written
//     script on a pipe is worse than a clear error. Write to a file and copy it instead;
//   - a symlink: what it points at decides. A link to a directory, device, fifo or socket is
//     refused as that thing would be (so /dev/stdout, a link to /proc/self/fd/1, is refused);
//     a link to a regular file, or a dangling one, is itself replaced by the new file. The
//     link's target is never written: a link planted in a tree cannot carry a write outside it.
// The window between the last check and the rename is not closed (only root can make a device);
// the check is against mistakes and planted names, not against a concurrent root.
#pragma once

#include <filesystem>

namespace distbuild::builder {

// Throws builder::Error naming `path` when it may not be replaced (see above).
void check_replaceable(const std::filesystem::path& path);

// check_replaceable(to), then rename(from, to); throws builder::Error naming `to`.
void rename_into_place(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace distbuild::builder
