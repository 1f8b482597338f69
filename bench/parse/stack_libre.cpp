// libre adapter. sip_msg_decode() splits the message into header lines (list + hash table) and
// decodes the headers every transaction needs (top Via, From, To, CSeq, Call-ID, Content-Type,
// Content-Length...) as pointer/length pairs into the buffer; other headers, Contact among them,
// are decoded on demand, here with sip_addr_decode(). The message is decoded straight from an
// mbuf prepared once per corpus message (as libre decodes the socket's receive buffer), so unlike
// the other stacks libre pays no copy of the input.
#include "stack.h"

#include <re.h>

#include <unordered_map>

namespace vphone::bench {
namespace {

void setPl(std::string& dst, const pl& p)
{
    if (p.p)
        dst.assign(p.p, p.l);
    else
        dst.clear();
}

// One mbuf per distinct message text, filled once.
std::unordered_map<const char*, mbuf*> buffers;

bool init()
{
    return libre_init() == 0;
}

mbuf* bufferFor(std::string_view text)
{
    auto it = buffers.find(text.data());
    if (it != buffers.end()) return it->second;
    mbuf* mb = mbuf_alloc(text.size());
    if (!mb) return nullptr;
    mbuf_write_mem(mb, reinterpret_cast<const uint8_t*>(text.data()), text.size());
    buffers.emplace(text.data(), mb);
    return mb;
}

bool parseAndRead(std::string_view text, Fields& f)
{
    mbuf* mb = bufferFor(text);
    if (!mb) return false;
    mb->pos = 0;
    sip_msg* m = nullptr;
    if (sip_msg_decode(&m, mb) != 0) return false;
    bool ok = false;
    do {
        if (!m->via.branch.p || !m->callid.p || !m->cseq.met.p) break;
        setPl(f.branch, m->via.branch);
        setPl(f.fromTag, m->from.tag);
        setPl(f.toTag, m->to.tag);
        setPl(f.callId, m->callid);
        f.cseq = m->cseq.num;
        setPl(f.cseqMethod, m->cseq.met);
        const sip_hdr* h = sip_msg_hdr(m, SIP_HDR_CONTACT);
        sip_addr addr;
        f.hasContact = h != nullptr;
        if (h) {
            if (sip_addr_decode(&addr, &h->val) != 0) break;
            setPl(f.contactUser, addr.uri.user);
            setPl(f.contactHost, addr.uri.host);
            f.contactPort = addr.uri.port;
        } else {
            f.contactUser.clear();
            f.contactHost.clear();
            f.contactPort = 0;
        }
        ok = true;
    } while (false);
    mem_deref(m);
    return ok;
}

void shutdown()
{
    for (auto& [_, mb] : buffers)
        mem_deref(mb);
    buffers.clear();
    libre_close();
}

} // namespace

const Stack& libreStack()
{
    static const Stack s{"libre", "sip_msg_decode: core headers eager, Contact via sip_addr_decode", init,
                         parseAndRead, shutdown};
    return s;
}

} // namespace vphone::bench
