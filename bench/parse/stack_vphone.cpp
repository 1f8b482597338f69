// vphone adapter. parseMessage() copies the bytes into the Message and indexes the start line,
// every header line and the body; the typed views (Via, From, To, CSeq, Contact) are parsed on
// demand by the reads below.
#include "stack.h"

#include "sip/message.h"
#include "sip/parser.h"

namespace vphone::bench {
namespace {

bool init()
{
    return true;
}

bool parseAndRead(std::string_view text, Fields& f)
{
    auto r = sip::parseMessage(text);
    if (!r) return false;
    const sip::Message& m = *r;
    auto via = m.topVia();
    if (!via) return false;
    f.branch = via->branch();
    auto from = m.from();
    auto to = m.to();
    if (!from || !to) return false;
    f.fromTag = from->tag();
    f.toTag = to->tag();
    auto callId = m.callId();
    if (!callId) return false;
    f.callId.assign(*callId);
    auto cseq = m.cseq();
    if (!cseq) return false;
    f.cseq = cseq->sequence;
    f.cseqMethod = cseq->methodText;
    f.hasContact = false;
    f.contactUser.clear();
    f.contactHost.clear();
    f.contactPort = 0;
    if (m.find(sip::HeaderId::Contact)) {
        auto contacts = m.contacts();
        if (!contacts) return false;
        if (!contacts->star && !contacts->contacts.empty()) {
            const sip::Uri& uri = contacts->contacts.front().uri;
            f.hasContact = true;
            f.contactUser = uri.user;
            f.contactHost = uri.host;
            f.contactPort = uri.port.value_or(0);
        }
    }
    return true;
}

void shutdown() {}

} // namespace

const Stack& vphoneStack()
{
    static const Stack s{"vphone", "parseMessage: line index, typed headers on demand", init, parseAndRead,
                         shutdown};
    return s;
}

} // namespace vphone::bench
