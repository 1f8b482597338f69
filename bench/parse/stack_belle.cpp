// belle-sip adapter. belle_sip_message_parse_raw() runs belle-sip's ANTLR-generated parser over
// the whole message, building an object for every header (typed for the ones it knows).
#include "stack.h"

#include <belle-sip/belle-sip.h>

namespace vphone::bench {
namespace {

void setOr(std::string& dst, const char* s)
{
    if (s)
        dst.assign(s);
    else
        dst.clear();
}

bool init()
{
    belle_sip_set_log_level(BELLE_SIP_LOG_FATAL);
    return true;
}

bool parseAndRead(std::string_view text, Fields& f)
{
    size_t used = 0;
    belle_sip_message_t* m = belle_sip_message_parse_raw(text.data(), text.size(), &used);
    if (!m) return false;
    belle_sip_object_ref(m);
    bool ok = false;
    do {
        auto* via = belle_sip_message_get_header_by_type(m, belle_sip_header_via_t);
        auto* from = belle_sip_message_get_header_by_type(m, belle_sip_header_from_t);
        auto* to = belle_sip_message_get_header_by_type(m, belle_sip_header_to_t);
        auto* cid = belle_sip_message_get_header_by_type(m, belle_sip_header_call_id_t);
        auto* cseq = belle_sip_message_get_header_by_type(m, belle_sip_header_cseq_t);
        if (!via || !from || !to || !cid || !cseq) break;
        setOr(f.branch, belle_sip_header_via_get_branch(via));
        setOr(f.fromTag, belle_sip_header_from_get_tag(from));
        setOr(f.toTag, belle_sip_header_to_get_tag(to));
        setOr(f.callId, belle_sip_header_call_id_get_call_id(cid));
        f.cseq = belle_sip_header_cseq_get_seq_number(cseq);
        setOr(f.cseqMethod, belle_sip_header_cseq_get_method(cseq));
        auto* c = belle_sip_message_get_header_by_type(m, belle_sip_header_contact_t);
        belle_sip_uri_t* uri = c ? belle_sip_header_address_get_uri(BELLE_SIP_HEADER_ADDRESS(c)) : nullptr;
        f.hasContact = uri != nullptr;
        if (uri) {
            setOr(f.contactUser, belle_sip_uri_get_user(uri));
            setOr(f.contactHost, belle_sip_uri_get_host(uri));
            int port = belle_sip_uri_get_port(uri);
            f.contactPort = port > 0 ? std::uint32_t(port) : 0;
        } else {
            f.contactUser.clear();
            f.contactHost.clear();
            f.contactPort = 0;
        }
        ok = true;
    } while (false);
    belle_sip_object_unref(m);
    return ok;
}

void shutdown() {}

} // namespace

const Stack& belleStack()
{
    static const Stack s{"belle-sip", "belle_sip_message_parse_raw: ANTLR parser, every header", init,
                         parseAndRead, shutdown};
    return s;
}

} // namespace vphone::bench
