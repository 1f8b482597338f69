// vphone-cli's phone mode: a headless softphone on the same core as the desktop app.
#pragma once

#include <QStringList>

namespace vphone::cli {

/// Runs the phone with the given arguments (argv without the program name). Returns the exit
/// code: 0 only when every requested action succeeded.
int runPhone(const QStringList& args);

} // namespace vphone::cli
