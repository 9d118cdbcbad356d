#include "builder/cli/commands.hpp"

int main(int argc, char** argv) {
  return distbuild::cli::run(argc, argv);
}
