// A registrar on a loopback UDP port for the UaDriver tests: answers every REGISTER with 200
// (echoing the Contacts it should keep) and, while `answerStun`, every STUN Binding request with
// the address it came from (or `mappedOverride`), as a registrar doing RFC 5626 §4.4.2 would.
#pragma once

#include "net/stun.h"
#include "sip/parser.h"
#include "sip/transaction_layer.h"

#include <QNetworkDatagram>
#include <QUdpSocket>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace vphone::test {

struct FakeRegistrar {
    QUdpSocket socket;
    std::vector<sip::Message> registers;
    int stunRequests = 0;
    bool answerStun = true;
    std::optional<net::stun::MappedAddress> mappedOverride;

    /// Binds 127.0.0.1 on a free port (tests run in parallel): see port().
    FakeRegistrar()
    {
        EXPECT_TRUE(socket.bind(QHostAddress::LocalHost, 0));
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] { read(); });
    }
    quint16 port() const { return socket.localPort(); }
    QString uri(const char* user) const
    {
        return QStringLiteral("sip:%1@127.0.0.1:%2").arg(QLatin1String(user)).arg(port());
    }
    void read()
    {
        while (socket.hasPendingDatagrams()) {
            const QNetworkDatagram d = socket.receiveDatagram();
            const std::string bytes = d.data().toStdString();
            if (net::stun::looksLikeStun(bytes)) {
                ++stunRequests;
                const auto m = net::stun::decode(bytes);
                if (!answerStun || !m || m->type != net::stun::kBindingRequest) continue;
                const net::stun::MappedAddress seen{d.senderAddress().toString().toStdString(),
                                                    static_cast<std::uint16_t>(d.senderPort())};
                reply(d, net::stun::bindingSuccess(m->id, mappedOverride.value_or(seen)));
                continue;
            }
            auto m = sip::parseMessage(bytes);
            if (!m || !m->isRequest() || m->method() != sip::Method::Register) continue;
            registers.push_back(*m);
            sip::Message ok = sip::TransactionLayer::buildResponse(*m, 200, "r1");
            for (const auto c : m->values(sip::HeaderId::Contact)) {
                if (c.find("expires=0") == std::string_view::npos)
                    ok.addHeader(sip::HeaderId::Contact, std::string(c) + ";expires=600");
            }
            reply(d, ok.serialize());
        }
    }
    void reply(const QNetworkDatagram& to, const std::string& bytes)
    {
        socket.writeDatagram(QByteArray::fromStdString(bytes), to.senderAddress(),
                             static_cast<quint16>(to.senderPort()));
    }
    std::vector<std::string> contacts(std::size_t i) const
    {
        std::vector<std::string> out;
        for (const auto c : registers.at(i).values(sip::HeaderId::Contact))
            out.emplace_back(c);
        return out;
    }
};

} // namespace vphone::test
