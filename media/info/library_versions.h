// Versions of the media libraries vphone is linked against, for `vphone-cli version` and bug reports.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vphone::media {

/// (library, version) pairs read from the libraries at run time.
std::vector<std::pair<std::string, std::string>> libraryVersions();

} // namespace vphone::media
