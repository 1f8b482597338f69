// vphone-cli --page GROUP:PORT / --listen-group GROUP:PORT: one-way multicast paging and
// intercom without SIP (issue 8). See multicast_page.cpp.
#pragma once

#include "phone_options.h"

namespace vphone::cli {

/// Runs a page (options.page) or a listener (options.listenGroup) until --duration or a signal;
/// returns the process exit code.
int runMulticast(const PhoneOptions& options);

} // namespace vphone::cli
