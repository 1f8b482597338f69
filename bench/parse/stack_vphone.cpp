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
    // The views a transaction and dialog layer reads for every message: no allocation.
    auto via = m.topViaView();
    if (!via) return false;
    f.branch.assign(via->branch);
    auto from = m.fromView();
    auto to = m.toView();
    if (!from || !to) return false;
    f.fromTag.assign(from->tag);
    f.toTag.assign(to->tag);
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
        auto uri = m.contactUri();
        if (!uri) return false;
        f.hasContact = true;
        f.contactUser = uri->user;
        f.contactHost = uri->host;
        f.contactPort = uri->port.value_or(0);
    }
    return true;
}

void shutdown() {}

} // namespace

const Stack& vphoneStack()
{
    static const Stack s{"vphone",
                         "parseMessage: line index; Via/From/To views, CSeq, Contact URI parsed on read",
                         init, parseAndRead, shutdown};
    return s;
}

} // namespace vphone::bench
