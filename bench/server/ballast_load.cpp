// Entry point of ballast_load (see load_tool.hpp).

#include <iostream>

#include "load_tool.hpp"

int main(int argc, char** argv) {
  auto options = ballast::bench::parse_load_options(argc, argv);
  if (!options) {
    std::cerr << options.error().to_string() << "\n";
    return 2;
  }
  return options->mode == "http" ? ballast::bench::run_http_load(*options) : ballast::bench::run_ws_load(*options);
}
