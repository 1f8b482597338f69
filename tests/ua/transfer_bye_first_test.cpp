// A blind transfer whose transferee hangs up before its final NOTIFY (SIP 6600-6601): a scripted
// UDP transferee answers our call, takes the REFER (202), NOTIFYs "100 Trying", then sends BYE,
// and only then the terminating "200 OK" NOTIFY — the order a transferee produces when it hangs
// up on success while its previous NOTIFY is still in flight (RFC 3515 §2.4.5, RFC 5589 §6).
// The Phone must still read that NOTIFY: the transfer ends Done, not stuck at "Trying". Part of
// vphone_facade_tests (found as an intermittent failure of ConferenceModel's blind transfer).
#include "facade_test_util.h"
#include "scripted_sip.h"
#include "sip/parser.h"
#include "ua/phone.h"

#include <QNetworkDatagram>
#include <QUdpSocket>

#include <gtest/gtest.h>

using namespace vphone;
using ua::Call;
using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

constexpr quint16 kPhonePort = 6600;
constexpr quint16 kScriptPort = 6601;

/// The transferee: a bare UDP endpoint that answers INVITE with 200 (a PCMU answer), REFER
/// with 202, and lets the test send in-dialog requests; it answers nothing else.
struct Transferee {
    QUdpSocket socket;
    std::optional<sip::Message> invite;
    QList<sip::Message> requests;
    QList<sip::Message> responses;
    int cseq = 0;

    Transferee()
    {
        EXPECT_TRUE(socket.bind(QHostAddress(QStringLiteral("127.0.0.1")), kScriptPort));
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] { read(); });
    }
    void send(const std::string& text)
    {
        socket.writeDatagram(QByteArray::fromStdString(text), QHostAddress(QStringLiteral("127.0.0.1")),
                             kPhonePort);
    }
    std::string response(const sip::Message& m, const std::string& status, const std::string& extra,
                         const std::string& body = {})
    {
        return vphone::test::responseTo(m, status, extra, body, "transferee");
    }
    void read()
    {
        while (socket.hasPendingDatagrams()) {
            const QByteArray d = socket.receiveDatagram().data();
            auto m = sip::parseMessage(std::string_view(d.constData(), static_cast<std::size_t>(d.size())));
            if (!m) continue;
            if (!m->isRequest()) {
                responses.append(*m);
                continue;
            }
            requests.append(*m);
            const std::string contact = "Contact: <sip:bob@127.0.0.1:6601>\r\n";
            if (m->method() == sip::Method::Invite) {
                invite = *m;
                const std::string sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                                        "t=0 0\r\nm=audio 6602 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
                send(response(*m, "200 OK", contact + "Content-Type: application/sdp\r\n", sdp));
            } else if (m->method() == sip::Method::Refer) {
                send(response(*m, "202 Accepted", contact));
            }
        }
    }
    /// An in-dialog request of ours (UAS side of the call's dialog).
    void inDialog(const std::string& method, const std::string& extra, const std::string& body = {})
    {
        const sip::Message& in = *invite;
        std::string contact(in.get(sip::HeaderId::Contact).value_or(""));
        const auto lt = contact.find('<'), gt = contact.find('>');
        const std::string target = lt != std::string::npos && gt != std::string::npos
                                       ? contact.substr(lt + 1, gt - lt - 1)
                                       : "sip:127.0.0.1:6600";
        std::string to(in.get(sip::HeaderId::To).value_or(""));
        ++cseq;
        std::string r = method + " " + target + " SIP/2.0\r\n";
        r += "Via: SIP/2.0/UDP 127.0.0.1:6601;branch=z9hG4bKtransferee" + std::to_string(cseq) + "\r\n";
        r += "From: " + to + ";tag=transferee\r\n";
        r += "To: " + std::string(in.get(sip::HeaderId::From).value_or("")) + "\r\n";
        r += "Call-ID: " + std::string(in.get(sip::HeaderId::CallId).value_or("")) + "\r\n";
        r += "CSeq: " + std::to_string(cseq) + " " + method + "\r\n";
        r += "Max-Forwards: 70\r\nContact: <sip:bob@127.0.0.1:6601>\r\n" + extra;
        r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        send(r);
    }
    /// The final responses received for our requests of `method`.
    int answered(const std::string& method) const
    {
        int n = 0;
        for (const auto& r : responses) {
            const auto c = r.get(sip::HeaderId::CSeq);
            if (r.status() >= 200 && c && c->ends_with(method)) ++n;
        }
        return n;
    }
};

} // namespace

TEST(FacadeTransfer, TheFinalNotifyAfterTheTransfereesByeStillCompletesTheTransfer)
{
    TestPhone alice;
    ASSERT_TRUE(alice.start(kPhonePort));
    Transferee bob;
    QList<int> progress;
    Call* call = alice.phone.call(QStringLiteral("sip:bob@127.0.0.1:6601"));
    ASSERT_NE(call, nullptr);
    QObject::connect(call, &Call::transferProgress, [&](int code, const QString&) { progress.append(code); });
    ASSERT_TRUE(waitFor([&] { return call->state() == Call::State::Active; }));

    ASSERT_TRUE(call->transfer(QStringLiteral("sip:carol@127.0.0.1:6603")));
    ASSERT_TRUE(waitFor([&] {
        return std::any_of(bob.requests.begin(), bob.requests.end(),
                           [](const sip::Message& m) { return m.method() == sip::Method::Refer; });
    }));
    const std::string event = "Event: refer\r\nContent-Type: message/sipfrag\r\n";
    bob.inDialog("NOTIFY", event + "Subscription-State: active;expires=60\r\n", "SIP/2.0 100 Trying\r\n");
    ASSERT_TRUE(waitFor([&] { return bob.answered("NOTIFY") == 1; }));
    bob.inDialog("BYE", "");
    ASSERT_TRUE(waitFor([&] { return bob.answered("BYE") == 1 && call->state() == Call::State::Ended; }));
    EXPECT_NE(call->transferState(), Call::TransferState::Done); // not known yet

    bob.inDialog("NOTIFY", event + "Subscription-State: terminated;reason=noresource\r\n",
                 "SIP/2.0 200 OK\r\n");
    ASSERT_TRUE(waitFor([&] { return bob.answered("NOTIFY") == 2; }));
    EXPECT_TRUE(waitFor([&] { return call->transferState() == Call::TransferState::Done; }))
        << "transfer state " << static_cast<int>(call->transferState());
    ASSERT_FALSE(progress.isEmpty());
    EXPECT_EQ(progress.back(), 200);
    // Our call ended by the transferee's BYE: nothing of ours goes out after it.
    EXPECT_EQ(std::count_if(bob.requests.begin(), bob.requests.end(),
                            [](const sip::Message& m) { return m.method() == sip::Method::Bye; }),
              0);
}
