// Helpers shared by the socket tests: bounded waits on the event loop, a recorder for what a
// SipTransport reports, and listen-address shorthands.
#pragma once

#include "net/sip_transport.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace vphone::test {

/// Runs the event loop until pred() holds or 5 s pass (a bound, not a timing assertion).
template <class Pred> bool waitFor(Pred pred)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return pred();
}

/// Everything a SipTransport reported.
struct Received {
    std::vector<sip::Message> messages;
    std::vector<sip::Peer> from;
    std::vector<std::string> errors;                                  ///< malformedReceived
    std::vector<std::pair<sip::TransactionId, std::string>> failures; ///< sendFailed

    void attach(net::SipTransport& t)
    {
        QObject::connect(&t, &net::SipTransport::messageReceived,
                         [this](const sip::Message& m, const sip::Peer& p) {
                             messages.push_back(m);
                             from.push_back(p);
                         });
        QObject::connect(&t, &net::SipTransport::malformedReceived,
                         [this](const QByteArray&, const sip::ParseError& e, const sip::Peer&) {
                             errors.push_back(e.what);
                         });
        QObject::connect(&t, &net::SipTransport::sendFailed,
                         [this](sip::TransactionId id, const sip::Peer&, const QString& why) {
                             failures.emplace_back(id, why.toStdString());
                         });
    }
};

/// A ListenSpec from "proto:host:port" (the test fails if it does not parse).
inline net::ListenSpec spec(const char* text)
{
    QString error;
    auto s = net::ListenSpec::parse(QString::fromLatin1(text), &error);
    EXPECT_TRUE(s) << error.toStdString();
    return s ? *s : net::ListenSpec{};
}

/// The port a transport actually bound for this transport kind (0 if none).
inline quint16 boundPort(const net::SipTransport& t, sip::Transport kind)
{
    for (const auto& b : t.boundAddresses()) {
        if (b.transport == kind) return b.port;
    }
    return 0;
}

/// Where `server`'s TLS listener is (on 127.0.0.1).
inline sip::Peer tlsPeer(const net::SipTransport& server)
{
    return sip::Peer{sip::Transport::Tls, "127.0.0.1", boundPort(server, sip::Transport::Tls)};
}

/// An OPTIONS request over TLS with the given Call-ID (the TLS tests' probe message).
inline std::string tlsOptions(const std::string& callId)
{
    return "OPTIONS sip:bob@localhost SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bK" + callId +
           "\r\nCall-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
}

} // namespace vphone::test
