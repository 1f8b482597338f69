// sofia-sip adapter. msg_make() copies the bytes into a msg_t and parses the start line and
// every header (each known header into its typed structure, eagerly); the body is kept as
// a payload, not parsed.
#include "stack.h"

#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#include <cstring>

namespace vphone::bench {
namespace {

void setOr(std::string& dst, const char* s)
{
    if (s)
        dst.assign(s);
    else
        dst.clear();
}

msg_mclass_t const* mclass = nullptr;

bool init()
{
    mclass = sip_default_mclass();
    return mclass != nullptr;
}

bool parseAndRead(std::string_view text, Fields& f)
{
    msg_t* msg = msg_make(mclass, 0, text.data(), static_cast<ssize_t>(text.size()));
    if (!msg) return false;
    bool ok = false;
    do {
        sip_t* sip = sip_object(msg);
        if (!sip || sip->sip_error) break;
        if (!sip->sip_via || !sip->sip_from || !sip->sip_to || !sip->sip_call_id || !sip->sip_cseq) break;
        setOr(f.branch, sip->sip_via->v_branch);
        setOr(f.fromTag, sip->sip_from->a_tag);
        setOr(f.toTag, sip->sip_to->a_tag);
        setOr(f.callId, sip->sip_call_id->i_id);
        f.cseq = sip->sip_cseq->cs_seq;
        setOr(f.cseqMethod, sip->sip_cseq->cs_method_name);
        sip_contact_t const* c = sip->sip_contact;
        f.hasContact = c != nullptr;
        if (c) {
            setOr(f.contactUser, c->m_url->url_user);
            setOr(f.contactHost, c->m_url->url_host);
            const char* port = c->m_url->url_port;
            f.contactPort = port ? portFromText(port, std::strlen(port)) : 0;
        } else {
            f.contactUser.clear();
            f.contactHost.clear();
            f.contactPort = 0;
        }
        ok = true;
    } while (false);
    msg_destroy(msg);
    return ok;
}

void shutdown() {}

} // namespace

const Stack& sofiaStack()
{
    static const Stack s{"sofia-sip", "msg_make: every header parsed eagerly", init, parseAndRead, shutdown};
    return s;
}

} // namespace vphone::bench
