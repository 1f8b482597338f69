// libosip2 (GNU oSIP) adapter. osip_message_parse parses the start line and every header it
// knows (Via, From, To, Call-ID, CSeq, Contact, Content-Type, auth headers...) into allocated
// structures up front; unknown headers are kept as name/value strings and the body as text.
#include "stack.h"

#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>

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

bool init()
{
    return parser_init() == 0;
}

// oSIP's lookup functions take a non-const char* name (its get_tag macros pass a literal, which
// clang rejects in C++); these are never written to.
char branchName[] = "branch";
char tagName[] = "tag";

bool parseAndRead(std::string_view text, Fields& f)
{
    osip_message_t* m = nullptr;
    if (osip_message_init(&m) != 0) return false;
    bool ok = false;
    do {
        if (osip_message_parse(m, text.data(), text.size()) != 0) break;
        osip_via_t* via = nullptr;
        if (osip_message_get_via(m, 0, &via) < 0 || !via) break;
        osip_generic_param_t* p = nullptr;
        if (osip_via_param_get_byname(via, branchName, &p) != 0 || !p) break;
        setOr(f.branch, p->gvalue);
        osip_from_t* from = osip_message_get_from(m);
        osip_to_t* to = osip_message_get_to(m);
        if (!from || !to) break;
        p = nullptr;
        f.fromTag.clear();
        if (osip_generic_param_get_byname(&from->gen_params, tagName, &p) == 0 && p)
            setOr(f.fromTag, p->gvalue);
        p = nullptr;
        f.toTag.clear();
        if (osip_generic_param_get_byname(&to->gen_params, tagName, &p) == 0 && p) setOr(f.toTag, p->gvalue);
        osip_call_id_t* cid = osip_message_get_call_id(m);
        if (!cid || !cid->number) break;
        // oSIP splits Call-ID at '@'; put it back together.
        f.callId.assign(cid->number);
        if (cid->host) {
            f.callId += '@';
            f.callId += cid->host;
        }
        osip_cseq_t* cseq = osip_message_get_cseq(m);
        if (!cseq || !cseq->number || !cseq->method) break;
        f.cseq = portFromText(cseq->number, std::strlen(cseq->number));
        f.cseqMethod.assign(cseq->method);
        osip_contact_t* c = nullptr;
        f.hasContact = osip_message_get_contact(m, 0, &c) >= 0 && c && c->url;
        if (f.hasContact) {
            setOr(f.contactUser, c->url->username);
            setOr(f.contactHost, c->url->host);
            f.contactPort = c->url->port ? portFromText(c->url->port, std::strlen(c->url->port)) : 0;
        } else {
            f.contactUser.clear();
            f.contactHost.clear();
            f.contactPort = 0;
        }
        ok = true;
    } while (false);
    osip_message_free(m);
    return ok;
}

void shutdown() {}

} // namespace

const Stack& osipStack()
{
    static const Stack s{"libosip2", "osip_message_parse: all known headers parsed eagerly", init,
                         parseAndRead, shutdown};
    return s;
}

} // namespace vphone::bench
