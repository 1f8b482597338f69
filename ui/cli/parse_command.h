// `vphone-cli parse FILE...`: what a UA would do with each raw SIP message.
#pragma once

#include <string>
#include <vector>

namespace vphone::cli {

/// Prints one verdict line per file; returns the process exit code (0 when it ran).
int runParse(const std::vector<std::string>& files, bool stream, bool verbose);

} // namespace vphone::cli
