// distbuild(1) is rendered from the CLI11 app itself: every command and option is in it, groff
// reads it without a warning, and every option's --help has a description.
#include "builder/cli/commands.hpp"
#include "builder/cli/man_page.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace distbuild::cli {
namespace {

std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c == '-' ? std::string("\\-") : std::string(1, c);
  }
  return out;
}

bool is_help(const CLI::Option* option) {
  for (const auto& name : option->get_lnames()) {
    if (name == "help" || name == "help-all") {
      return true;
    }
  }
  return false;
}

// Calls `visit(command path, option)` for every visible option of every command.
void for_each_option(const CLI::App& app, const std::string& path,
                     const std::function<void(const std::string&, const CLI::Option*)>& visit,
                     const std::function<void(const std::string&)>& on_command) {
  on_command(path);
  for (const CLI::Option* option : app.get_options()) {
    if (!option->get_group().empty() && !is_help(option)) {
      visit(path, option);
    }
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) {
         return !s->get_name().empty() && !s->get_group().empty();
       })) {
    for_each_option(*sub, path + " " + sub->get_name(), visit, on_command);
  }
}

TEST(ManPage, HasEveryCommandAndOption) {
  Context ctx;
  CLI::App app;
  build_app(app, ctx);
  const std::string page = render_man_page(app, "9.9.9");
  EXPECT_EQ(page.rfind(".TH DISTBUILD 1 \"\" \"distbuild 9.9.9\" \"User Commands\"\n", 0), 0u);
  for (const char* section : {".SH NAME\n", ".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH OPTIONS\n",
                              ".SH COMMANDS\n", ".SH ENVIRONMENT\n", ".SH EXIT STATUS\n",
                              ".SH FILES\n", ".SH EXAMPLES\n", ".SH SEE ALSO\n"}) {
    EXPECT_NE(page.find(section), std::string::npos) << section;
  }
  std::size_t commands = 0;
  std::size_t options = 0;
  for_each_option(
      app, "distbuild",
      [&](const std::string& path, const CLI::Option* option) {
        ++options;
        for (const auto& name : option->get_lnames()) {
          EXPECT_NE(page.find("\\fB" + roff("--" + name) + "\\fR"), std::string::npos)
              << path << " --" << name;
        }
        if (option->get_lnames().empty() && option->get_snames().empty()) {
          EXPECT_NE(page.find("\\fI" + roff(option->get_name(true)) + "\\fR"), std::string::npos)
              << path << " " << option->get_name(true);
        }
        if (!option->get_default_str().empty()) {
          EXPECT_NE(page.find("Default: " + roff(option->get_default_str())), std::string::npos)
              << path << " " << option->get_name();
        }
      },
      [&](const std::string& path) {
        if (path != "distbuild") {
          ++commands;
          EXPECT_NE(page.find(".SS \"" + roff(path) + "\"\n"), std::string::npos) << path;
        }
      });
  EXPECT_GE(commands, 20u);
  EXPECT_GE(options, 100u);
}

// The --help audit: an option nobody can understand from --help is a bug.
TEST(ManPage, EveryOptionHasADescription) {
  Context ctx;
  CLI::App app;
  build_app(app, ctx);
  for_each_option(
      app, "distbuild",
      [](const std::string& path, const CLI::Option* option) {
        EXPECT_FALSE(option->get_description().empty()) << path << " " << option->get_name();
      },
      [](const std::string&) {});
}

TEST(ManPage, GroffRendersTheBinarysPageWithoutWarnings) {
  testutil::TempDir tmp;
  const auto made = testutil::run_distbuild({"--man", (tmp / "distbuild.1").string()});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string page = testutil::read_file(tmp / "distbuild.1");
  EXPECT_EQ(page, testutil::run_distbuild({"--man"}).out);
  EXPECT_NE(page.find(".SS \"distbuild pack\"\n"), std::string::npos);

  const auto groff = testutil::find_tool("groff");
  DISTBUILD_REQUIRE(groff.has_value(), "groff (Debian package groff-base)");
  const auto checked = testutil::run_process(
      {*groff, "-man", "-Tutf8", "-ww", "-z", (tmp / "distbuild.1").string()});
  EXPECT_EQ(checked.exit_code, 0);
  EXPECT_EQ(checked.err, "");
  const auto text = testutil::run_process(
      {*groff, "-man", "-Tutf8", (tmp / "distbuild.1").string()});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  std::string plain;  // grotty emboldens with "S\bS": keep the second character
  for (char c : text.out) {
    if (c == '\b') {
      plain.pop_back();
    } else {
      plain += c;
    }
  }
  EXPECT_NE(plain.find("SYNOPSIS"), std::string::npos);
  EXPECT_NE(plain.find("distbuild pack"), std::string::npos);
}

} // namespace
} // namespace distbuild::cli
