// See man_page.hpp. The fixed sections (environment, exit status, files, examples) are written
// here; everything about options comes from the CLI11 app.
#include "builder/cli/man_page.hpp"

#include "builder/tree/atomic_file.hpp"

#include <iostream>
#include <sstream>

namespace distbuild::cli {

namespace {

// Text for roff: backslashes escaped, hyphens made minus signs (so options copy and paste as
// typed), and a line never starting with a control character.
std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) {
    out.insert(0, "\\&");
  }
  return out;
}

// Descriptions are written without a final full stop, as --help shows them.
void add_sentence(std::string& text, const std::string& sentence) {
  if (!text.empty()) {
    text += text.back() == '.' ? " " : ". ";
  }
  text += sentence;
}

bool is_help(const CLI::Option* option) {
  for (const std::string& name : option->get_lnames()) {
    if (name == "help" || name == "help-all") {
      return true;
    }
  }
  return false;
}

// `\fB\-q\fR, \fB\-\-quiet\fR \fITEXT\fR`, or `\fIinput\-dir\fR` for a positional.
std::string option_heading(const CLI::Option* option) {
  std::string names;
  for (const std::string& name : option->get_snames()) {
    names += (names.empty() ? "" : ", ") + std::string("\\fB") + escape("-" + name) + "\\fR";
  }
  for (const std::string& name : option->get_lnames()) {
    names += (names.empty() ? "" : ", ") + std::string("\\fB") + escape("--" + name) + "\\fR";
  }
  if (names.empty()) {
    return "\\fI" + escape(option->get_name(true)) + "\\fR";
  }
  if (option->get_expected_max() != 0) {  // 0: a flag, which takes no value
    std::string type = option->get_type_name();
    names += " \\fI" + escape(type.empty() ? "VALUE" : type) + "\\fR";
  }
  return names;
}

void render_options(std::ostream& out, const CLI::App& app) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty() || is_help(option)) {
      continue;  // hidden
    }
    out << ".TP\n" << option_heading(option) << "\n";
    std::string text = option->get_description();
    if (option->get_required()) {
      add_sentence(text, "Required.");
    }
    if (!option->get_default_str().empty()) {
      add_sentence(text, "Default: " + option->get_default_str() + ".");
    }
    if (option->get_items_expected_max() > 1 && option->get_expected_max() != 0) {
      add_sentence(text, "May be repeated.");
    }
    out << escape(text) << "\n";
  }
}

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  std::vector<const CLI::App*> list;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* sub) {
         return !sub->get_name().empty() && !sub->get_group().empty();
       })) {
    list.push_back(sub);
  }
  return list;
}

void render_commands(std::ostream& out, const CLI::App& app, const std::string& prefix) {
  for (const CLI::App* sub : visible_subcommands(app)) {
    const std::string path = prefix + " " + sub->get_name();
    out << ".SS \"" << escape(path) << "\"\n" << escape(sub->get_description()) << "\n";
    render_options(out, *sub);
    render_commands(out, *sub, path);
  }
}

constexpr const char* k_fixed_sections = R"(.SH ENVIRONMENT
.TP
.B CI
When set to any non\-empty value, progress is logged as plain lines (no line rewritten in
place), as when standard error is not a terminal.
.TP
.B SOURCE_DATE_EPOCH
Timestamp of every tar entry when \fB\-\-mtime\fR is not given (default 1153704088, as
rust\-installer).
.TP
.B DISTBUILD_CACHE_DIR
Directory of the pack cache (default \fI$XDG_CACHE_HOME/distbuild/pack\fR, else
\fI~/.cache/distbuild/pack\fR).
.TP
.B DISTBUILD_NO_CACHE
Set to 1 to pack every component again instead of taking unchanged ones from the cache.
.TP
.B RUSTUP_DIST_SERVER
Not read by distbuild: point rustup at a tree with it to install from the tree.
.SH PROGRESS AND LOGS
On a terminal, long steps (compression during \fBpack\fR and \fBdist\fR, downloads) show one
status line rewritten in place, with bytes done, percent, rate and time left.
When standard error is not a terminal, or \fBCI\fR is set, each step prints one plain line
when it starts and one when it ends.
\fB\-\-quiet\fR prints nothing but errors; \fB\-\-json\fR prints one JSON document on standard
output and no progress; \fB\-\-verbose\fR adds step logs and rates.
.SH EXIT STATUS
.TP
.B 0
Success.
.TP
.B 1
An error (printed as \fIdistbuild: error: <path>: <cause>\fR), or \fBverify\fR found problems.
.TP
.B 100 and above
The command line could not be parsed (CLI11's exit codes); the message says why.
.SH FILES
.TP
.I ~/.local/share/distbuild/gnupg
distbuild's own signing key (\fBquickstart\fR, \fBkeygen\fR), never the user's keyring.
.TP
.I $XDG_CACHE_HOME/distbuild/pack
Tarballs packed by \fBdist\fR, keyed by the content of their inputs; safe to delete.
.TP
.I <tree>/.distbuild.lock
Held while a command writes the tree, so two runs never interleave.
.SH EXAMPLES
Pack one component image:
.PP
.nf
.RS
distbuild pack \-\-image img \-\-component demo\-tool \-\-package demo\-tool \e
    \-\-version 1.0.0 \-\-target x86_64\-unknown\-linux\-gnu \-\-output\-dir out
.RE
.fi
.PP
A signed tree from the toolchain rustup installed, and installing from it:
.PP
.nf
.RS
distbuild quickstart
export RUSTUP_DIST_SERVER=file://$PWD/out/tree
rustup toolchain install stable \-\-profile minimal
.RE
.fi
.PP
A porter's tree for a new target:
.PP
.nf
.RS
distbuild \-\-target armv7\-unknown\-linux\-gnueabihf \-\-from build \-\-version 1.63.0 \-\-out tree
.RE
.fi
.SH SEE ALSO
.BR rustup (1),
.BR gpg (1),
.BR xz (1),
.BR zstd (1),
.BR gzip (1)
)";

} // namespace

std::string render_man_page(const CLI::App& app, const std::string& version) {
  std::ostringstream out;
  std::string summary = app.get_description();
  if (summary.rfind("distbuild: ", 0) == 0) {
    summary = summary.substr(11);
  }
  out << ".TH DISTBUILD 1 \"\" \"distbuild " << escape(version) << "\" \"User Commands\"\n"
      << ".SH NAME\ndistbuild \\- " << escape(summary) << "\n"
      << ".SH SYNOPSIS\n"
      << ".B distbuild\n[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR]\n.br\n"
      << ".B distbuild\n\\fB\\-\\-target\\fR \\fITRIPLE\\fR \\fB\\-\\-from\\fR \\fIDIR\\fR "
         "\\fB\\-\\-out\\fR \\fIDIR\\fR [\\fIoptions\\fR]\n"
      << ".SH DESCRIPTION\n"
      << "distbuild builds Rust toolchain distributions that the real rustup installs:\n"
         "rust\\-installer tarballs (gz, xz, zst; byte\\-reproducible), v2 channel manifests\n"
         "with pins and dated archives, .sha256 files and GPG signatures, laid out as a\n"
         "static tree for RUSTUP_DIST_SERVER.\n"
         "Without a command, \\fB\\-\\-target\\fR and \\fB\\-\\-from\\fR run the porter's job:\n"
         "split a build tree or install prefix, check its binaries, then \\fBdist\\fR.\n"
         "Every command has \\fB\\-\\-help\\fR.\n"
      << ".SH OPTIONS\n";
  render_options(out, app);
  out << ".SH COMMANDS\n";
  render_commands(out, app, "distbuild");
  out << k_fixed_sections;
  return out.str();
}

void write_man_page(const CLI::App& app, const std::string& version,
                    const std::filesystem::path& path) {
  const std::string page = render_man_page(app, version);
  if (path == "-") {
    std::cout << page << std::flush;
    return;
  }
  builder::write_file_atomically(path, page);
}

} // namespace distbuild::cli
