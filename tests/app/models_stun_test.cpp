// The STUN server setting (issue 7) through the app's models and the media engine, with a fake
// STUN server on 127.0.0.1 that answers every Binding request with a documentation address
// (198.51.100.7) and port 40000 (40007 for odd source ports: RTCP), so what it reports differs
// from the local address and the test can see it is really used:
//  - SettingsController refuses bad values in words, writes [network] stunServer and applies it;
//  - an account's REGISTER carries the mapped address in Contact and Via (SIP 5910-5911);
//  - a MediaSession's offer carries it in c=, m= and a=rtcp (RTP 13480-13499);
//  - a silent server (3494, nothing listens) never holds an offer (issue 7: the probe runs on
//    the StunPrefetch pool's thread): local addresses and a warning event saying why.
#include "engine/media_session.h"
#include "engine/stun_prefetch.h"
#include "models/phone_controller.h"
#include "models/settings_controller.h"
#include "models_test_util.h"
#include "net/stun.h"
#include "sip/parser.h"
#include "sip/transaction_layer.h"
#include "ua/ua_driver.h"

#include <QGuiApplication>
#include <QNetworkDatagram>
#include <QSettings>
#include <QTemporaryDir>
#include <QUdpSocket>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

using namespace vphone;
using test::waitFor;

namespace {

constexpr const char* kMappedHost = "198.51.100.7";

/// A STUN server on its own thread (the media probe blocks the test's thread while it waits).
class FakeStunServer {
public:
    explicit FakeStunServer(quint16 port)
    {
        fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        timeval tv{0, 50000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        thread_ = std::thread([this] { run(); });
    }
    ~FakeStunServer()
    {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    int requests() const { return requests_; }

private:
    void run()
    {
        char buffer[1500];
        while (!stop_) {
            sockaddr_in from{};
            socklen_t len = sizeof from;
            const auto n =
                ::recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &len);
            if (n <= 0) continue;
            const auto m = net::stun::decode(std::string_view(buffer, static_cast<std::size_t>(n)));
            if (!m || m->type != net::stun::kBindingRequest) continue;
            ++requests_;
            const std::uint16_t srcPort = ntohs(from.sin_port);
            const std::string reply = net::stun::bindingSuccess(
                m->id, {kMappedHost, static_cast<std::uint16_t>(srcPort % 2 ? 40007 : 40000)});
            ::sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
        }
    }
    int fd_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0};
    std::thread thread_;
};

/// A registrar on a free loopback port answering REGISTER with 200; keeps the last Contact and Via.
struct Registrar {
    QUdpSocket socket;
    QString contact;
    QString via;
    Registrar()
    {
        EXPECT_TRUE(socket.bind(QHostAddress::LocalHost, 0));
        QObject::connect(&socket, &QUdpSocket::readyRead, [this] {
            while (socket.hasPendingDatagrams()) {
                const QNetworkDatagram d = socket.receiveDatagram();
                auto m = sip::parseMessage(d.data().toStdString());
                if (!m || !m->isRequest() || m->method() != sip::Method::Register) continue;
                const auto contacts = m->values(sip::HeaderId::Contact);
                const auto vias = m->values(sip::HeaderId::Via);
                contact =
                    contacts.empty() ? QString() : QString::fromStdString(std::string(contacts.front()));
                via = vias.empty() ? QString() : QString::fromStdString(std::string(vias.front()));
                sip::Message r = sip::TransactionLayer::buildResponse(*m, 200, "r1");
                for (const auto c : m->values(sip::HeaderId::Contact))
                    r.addHeader(sip::HeaderId::Contact, std::string(c) + ";expires=600");
                socket.writeDatagram(QByteArray::fromStdString(r.serialize()), d.senderAddress(),
                                     static_cast<quint16>(d.senderPort()));
            }
        });
    }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(socket.localPort()); }
};

/// A controller on 127.0.0.1:`port` with its profile in a temporary directory.
struct Rig {
    explicit Rig(int port)
    {
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        {
            QSettings s(settings.iniPath(), QSettings::IniFormat);
            s.setValue(QStringLiteral("network/listen"),
                       QStringList{QStringLiteral("udp:127.0.0.1:%1").arg(port)});
            s.setValue(QStringLiteral("network/rtpPorts"), QStringLiteral("13480-13499"));
            s.setValue(QStringLiteral("media/audioSource"), QStringLiteral("silence"));
            s.setValue(QStringLiteral("media/audioSink"), QStringLiteral("null"));
            s.setValue(QStringLiteral("media/videoSource"), QStringLiteral("off"));
        }
        settings.passwordStore().setDisabled(true);
        controller = std::make_unique<ui::PhoneController>(settings.load());
        settings.setController(controller.get());
        EXPECT_TRUE(controller->start()) << controller->lastProblem().toStdString();
    }
    QTemporaryDir dir;
    ui::SettingsController settings{dir.path()};
    std::unique_ptr<ui::PhoneController> controller;
};

media::MediaConfig mediaConfig(quint16 stunPort)
{
    media::MediaConfig c;
    c.rtpPorts = {13480, 13499};
    c.localAddresses = {"127.0.0.1"};
    c.audioSource = "silence";
    c.audioSink = "null";
    c.videoSource = "off";
    c.stunHost = "127.0.0.1";
    c.stunPort = stunPort;
    return c;
}

} // namespace

TEST(StunSettings, BadValuesAreRefusedInWordsAndGoodOnesSavedAndApplied)
{
    Rig rig(5910);
    ui::SettingsController& s = rig.settings;
    const auto refused = [&s](bool ok, const char* expected) {
        EXPECT_FALSE(ok);
        EXPECT_TRUE(s.messageIsError());
        EXPECT_EQ(s.message().toStdString(), expected);
    };
    refused(s.setStunServer(QStringLiteral(":3478")),
            "The STUN server needs a host name or address, e.g. stun.example.org or 192.0.2.1:3478");
    refused(s.setStunServer(QStringLiteral("stun.example.org:70000")),
            "The STUN server port in \"stun.example.org:70000\" must be a number from 1 to 65535");
    refused(s.setStunServer(QStringLiteral("stun.example.org:0")),
            "The STUN server port in \"stun.example.org:0\" must be a number from 1 to 65535");
    refused(s.setStunServer(QStringLiteral("stun example")),
            "\"stun example\" is not a STUN server: write host or host:port, e.g. stun.example.org:3478");
    EXPECT_TRUE(s.stunServer().isEmpty());

    ASSERT_TRUE(s.setStunServer(QStringLiteral(" 127.0.0.1:3494 "))) << s.message().toStdString();
    EXPECT_EQ(s.stunServer(), QStringLiteral("127.0.0.1:3494"));
    EXPECT_EQ(rig.controller->config().stunServer, QStringLiteral("127.0.0.1:3494"));
    EXPECT_EQ(
        QSettings(s.iniPath(), QSettings::IniFormat).value(QStringLiteral("network/stunServer")).toString(),
        QStringLiteral("127.0.0.1:3494"));
    ASSERT_TRUE(s.setStunServer(QString()));
    EXPECT_FALSE(QSettings(s.iniPath(), QSettings::IniFormat).contains(QStringLiteral("network/stunServer")));

    // A bad value in the file is reported by loadProfileConfig and ignored.
    {
        QSettings ini(s.iniPath(), QSettings::IniFormat);
        ini.setValue(QStringLiteral("network/stunServer"), QStringLiteral("host:99999"));
    }
    QSettings ini(s.iniPath(), QSettings::IniFormat);
    QStringList errors;
    const auto c = ui::loadProfileConfig(ini, &errors);
    EXPECT_TRUE(c.stunServer.isEmpty());
    ASSERT_EQ(errors.size(), 1);
    EXPECT_EQ(errors[0].toStdString(),
              "network/stunServer: the STUN server port 99999 is out of range (1-65535)");
}

TEST(StunSettings, AnAccountsOwnServerIsCheckedSavedAndReadBack)
{
    Rig rig(5910);
    ui::SettingsController& s = rig.settings;
    QVariantMap f{{QStringLiteral("uri"), QStringLiteral("carol@127.0.0.1")},
                  {QStringLiteral("transport"), QStringLiteral("udp")},
                  {QStringLiteral("registerOnStart"), false},
                  {QStringLiteral("stunServer"), QStringLiteral("stun.example.org:65536")}};
    EXPECT_FALSE(s.saveAccount(-1, f));
    EXPECT_EQ(s.message().toStdString(),
              "The STUN server port in \"stun.example.org:65536\" must be a number from 1 to 65535");
    EXPECT_EQ(s.accounts()->count(), 0);
    f[QStringLiteral("stunServer")] = QStringLiteral("127.0.0.1:3494");
    ASSERT_TRUE(s.saveAccount(-1, f)) << s.message().toStdString();
    EXPECT_EQ(s.account(0).value(QStringLiteral("stunServer")).toString(), QStringLiteral("127.0.0.1:3494"));
    EXPECT_EQ(QSettings(s.iniPath(), QSettings::IniFormat)
                  .value(QStringLiteral("accounts/1/stunServer"))
                  .toString(),
              QStringLiteral("127.0.0.1:3494"));
    EXPECT_EQ(rig.controller->config().accounts.value(0).settings.stunServer,
              QStringLiteral("127.0.0.1:3494"));
}

TEST(StunSettings, RegisterCarriesTheMappedAddressInContactAndVia)
{
    FakeStunServer stun(3490);
    Registrar registrar;
    Rig rig(5911);
    ui::SettingsController& s = rig.settings;
    ASSERT_TRUE(s.setStunServer(QStringLiteral("127.0.0.1:3490")));
    ASSERT_TRUE(s.saveAccount(-1, {{QStringLiteral("uri"), QStringLiteral("alice@127.0.0.1")},
                                   {QStringLiteral("registrar"), registrar.address()},
                                   {QStringLiteral("transport"), QStringLiteral("udp")}}))
        << s.message().toStdString();
    ASSERT_TRUE(waitFor([&] { return !registrar.contact.isEmpty(); })) << "no REGISTER";
    EXPECT_GE(stun.requests(), 1);
    // The first REGISTER already waits for the answer: its Contact is the mapped address (the
    // fake server maps the odd source port 5911 to 40007).
    EXPECT_TRUE(registrar.contact.contains(QStringLiteral("@198.51.100.7:40007")))
        << registrar.contact.toStdString();
    EXPECT_TRUE(registrar.via.startsWith(QStringLiteral("SIP/2.0/UDP 198.51.100.7:40007")))
        << registrar.via.toStdString();
    const auto mapped = rig.controller->phone().driver().stunMapped(0);
    ASSERT_TRUE(mapped);
    EXPECT_EQ(mapped->host, kMappedHost);
    EXPECT_EQ(mapped->port, 40007);
    // Media still binds on the real address.
    const auto unmapped = rig.controller->phone().driver().unmappedLocalAddresses(0);
    ASSERT_FALSE(unmapped.empty());
    EXPECT_EQ(unmapped.front().host, "127.0.0.1");
    EXPECT_EQ(unmapped.front().port, 5911);
    // Issue 7: the app started the media STUN pool for the config its calls are made from, so the
    // first call's offer takes sockets already probed.
    media::MediaConfig calls = rig.controller->media().config();
    calls.stunHost = "127.0.0.1";
    calls.stunPort = 3490;
    std::shared_ptr<media::StunPrefetch> pool;
    ASSERT_TRUE(waitFor([&] {
        return (pool = media::StunPrefetch::existing(calls)) && pool->status().ready >= 1;
    })) << "no probed media sockets for the app's calls";
    EXPECT_GE(stun.requests(), 3); // SIP, and the pool's RTP and RTCP sockets
}

TEST(StunMedia, OfferCarriesTheMappedAddressPortAndRtcpPort)
{
    FakeStunServer stun(3491);
    // Issue 7: the sockets are probed ahead of the calls; this offer takes a set already probed.
    auto pool = media::StunPrefetch::forConfig(mediaConfig(3491));
    ASSERT_TRUE(pool->waitSettled(std::chrono::seconds(5)));
    ASSERT_GE(pool->status().ready, 1u) << pool->status().lastError;
    auto made = media::MediaSession::create(mediaConfig(3491));
    ASSERT_TRUE(made) << made.error().what;
    auto& session = **made;
    const auto offer = session.createOffer();
    ASSERT_TRUE(offer) << offer.error().what;
    EXPECT_NE(offer->find("c=IN IP4 198.51.100.7\r\n"), std::string::npos) << *offer;
    EXPECT_NE(offer->find("m=audio 40000 "), std::string::npos) << *offer;
    EXPECT_NE(offer->find("a=rtcp:40007"), std::string::npos) << *offer; // not 40000 + 1
    EXPECT_GE(stun.requests(), 2);                                       // RTP and RTCP sockets
    std::vector<std::string> mapped;
    while (auto e = session.pollEvent()) {
        if (const auto* m = std::get_if<media::StunMapped>(&*e))
            mapped.push_back(m->socket + " " + m->mapped);
    }
    EXPECT_EQ(mapped, (std::vector<std::string>{"rtp 198.51.100.7:40000", "rtcp 198.51.100.7:40007"}));
    session.stop();
}

TEST(StunMedia, SilentServerNeverHoldsTheOfferAndKeepsLocalAddresses)
{
    // Issue 7: the offer never waits for the server (the probe runs on the pool's thread).
    auto made = media::MediaSession::create(mediaConfig(3494)); // nothing listens there
    ASSERT_TRUE(made) << made.error().what;
    auto& session = **made;
    const auto offer = session.createOffer();
    ASSERT_TRUE(offer) << offer.error().what;
    EXPECT_NE(offer->find("c=IN IP4 127.0.0.1\r\n"), std::string::npos) << *offer;
    EXPECT_EQ(offer->find("a=rtcp:"), std::string::npos) << *offer;
    std::string warning;
    while (auto e = session.pollEvent()) {
        if (const auto* m = std::get_if<media::MediaErrorEvent>(&*e)) warning = m->what;
    }
    EXPECT_EQ(warning.rfind("stun: 127.0.0.1:3494: no answer", 0), 0u) << warning;
    session.stop();
    // Once the pool's probe gave up (the 1.5 s bound), the next call says why and when it tries again.
    auto pool = media::StunPrefetch::forConfig(mediaConfig(3494));
    ASSERT_TRUE(pool->waitSettled(std::chrono::seconds(5)));
    auto next = media::MediaSession::create(mediaConfig(3494));
    ASSERT_TRUE(next) << next.error().what;
    const auto again = (*next)->createOffer();
    ASSERT_TRUE(again) << again.error().what;
    EXPECT_NE(again->find("c=IN IP4 127.0.0.1\r\n"), std::string::npos) << *again;
    warning.clear();
    while (auto e = (*next)->pollEvent()) {
        if (const auto* m = std::get_if<media::MediaErrorEvent>(&*e)) warning = m->what;
    }
    EXPECT_EQ(warning.rfind("stun: 127.0.0.1:3494: no answer after 2 requests", 0), 0u) << warning;
    EXPECT_NE(warning.find("(next try in "), std::string::npos) << warning;
    (*next)->stop();
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
