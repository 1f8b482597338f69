// fuzz_stun: net::stun::decode on arbitrary datagrams (RFC 5389 keep-alive answers arrive on the
// SIP UDP socket from anyone). A decoded Binding success re-encodes to a message that decodes to
// the same transaction id and mapped address.
#include "net/stun.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto m = vphone::net::stun::decode(bytes);
    if (m && m->mapped) {
        const auto again = vphone::net::stun::decode(vphone::net::stun::bindingSuccess(m->id, *m->mapped));
        if (!again || again->id != m->id || again->mapped != m->mapped) std::abort();
    }
    return 0;
}
