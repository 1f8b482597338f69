// The QObject facade (Phone, Account, Call, MessageThread) over real loopback sockets: two
// Phones in one process call and message each other directly on 127.0.0.1 (ports 5400-5419 and
// 5430-5437), and an Account meets a registrar that answers and one that never does. A recording
// SessionDescriptionProvider refuses offers and answers on demand. Transaction timers are
// shortened (T1 = 50 ms, so a request times out after 3.2 s); waits are bounded, nothing asserts
// on timing. QSignalSpy checks that the NOTIFY signals fire.
#include "facade_test_util.h"
#include "fake_registrar.h"
#include "ua/phone.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPointer>
#include <QSignalSpy>
#include <QUdpSocket>

#include <gtest/gtest.h>

using namespace vphone;
using namespace std::chrono_literals;
using ua::Account;
using ua::Call;
using ua::MessageThread;
using ua::Phone;

using vphone::test::TestPhone;
using vphone::test::waitFor;

namespace {

QString target(const char* user, quint16 port)
{
    return QStringLiteral("sip:%1@127.0.0.1:%2").arg(QLatin1String(user)).arg(port);
}

/// Records what a provider is asked and told (the media engine's hook).
struct RecordingProvider : ua::SessionDescriptionProvider {
    ua::PlaceholderSession inner{QStringLiteral("127.0.0.1")};
    QStringList log;
    ua::SdpResult offer(const Call& call, Purpose purpose) override
    {
        log.append(QStringLiteral("offer %1").arg(static_cast<int>(purpose)));
        if (refuseOffers) return ua::SdpResult::refuse(500, "no free RTP port");
        return inner.offer(call, purpose);
    }
    ua::SdpResult answer(const Call& call, const std::string& remoteOffer) override
    {
        log.append(QStringLiteral("answer"));
        if (refuseAnswers) return ua::SdpResult::refuse(488, "no common codec");
        return inner.answer(call, remoteOffer);
    }
    ua::SdpResult remoteOffer(const Call& call, const std::string& offer) override
    {
        log.append(QStringLiteral("remote offer"));
        return answer(call, offer);
    }
    void offerRefused(const Call&) override { log.append(QStringLiteral("refused")); }
    std::optional<std::string> negotiated(const Call&, const std::string& local,
                                          const std::string& remote) override
    {
        log.append(QStringLiteral("negotiated"));
        lastLocal = local;
        lastRemote = remote;
        if (unusable) return "the answer has no usable stream";
        return std::nullopt;
    }
    void ended(const Call&) override { log.append(QStringLiteral("ended")); }
    std::string lastLocal, lastRemote;
    bool refuseOffers = false;
    bool refuseAnswers = false;
    bool unusable = false;
};

} // namespace

TEST(Facade, ACallAnsweredAndHungUpIsActiveThenEndedOnBothSides)
{
    TestPhone a, b;
    ASSERT_TRUE(a.start(5400)) << a.problems.join(u'\n').toStdString();
    ASSERT_TRUE(b.start(5401)) << b.problems.join(u'\n').toStdString();
    QSignalSpy callsChanged(&a.phone, &Phone::callsChanged);

    Call* out = a.phone.call(target("bob", 5401));
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->direction(), Call::Direction::Outgoing);
    EXPECT_EQ(out->remoteUri(), target("bob", 5401));
    EXPECT_EQ(out->account(), nullptr); // direct IP calling
    EXPECT_EQ(a.phone.calls(), QList<Call*>{out});
    EXPECT_GE(callsChanged.count(), 1);
    QSignalSpy outState(out, &Call::stateChanged);
    QSignalSpy outConnected(out, &Call::connectedAtChanged);

    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    QPointer<Call> in = b.incoming.front();
    ASSERT_TRUE(in);
    EXPECT_EQ(in->state(), Call::State::Incoming);
    EXPECT_EQ(in->direction(), Call::Direction::Incoming);
    EXPECT_TRUE(in->remoteUri().startsWith(QStringLiteral("sip:"))) << in->remoteUri().toStdString();
    EXPECT_EQ(b.phone.calls(), QList<Call*>{in.data()});
    EXPECT_FALSE(in->remoteSdp().empty()); // A's offer, for the media layer
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ringing; })); // B sent 180

    QSignalSpy inState(in.data(), &Call::stateChanged);
    QSignalSpy inCode(in.data(), &Call::codeChanged);
    in->answer();
    ASSERT_TRUE(
        waitFor([&] { return out->state() == Call::State::Active && in->state() == Call::State::Active; }));
    EXPECT_EQ(out->code(), 200);
    EXPECT_EQ(in->code(), 200);
    EXPECT_TRUE(out->connectedAt().isValid());
    EXPECT_TRUE(in->connectedAt().isValid());
    EXPECT_EQ(outConnected.count(), 1);
    EXPECT_GE(inCode.count(), 1);
    ASSERT_FALSE(inState.isEmpty());
    EXPECT_EQ(inState.last().at(0).value<Call::State>(), Call::State::Active);
    EXPECT_EQ(outState.at(0).at(0).value<Call::State>(), Call::State::Ringing);
    EXPECT_EQ(outState.last().at(0).value<Call::State>(), Call::State::Active);

    QSignalSpy outReason(out, &Call::reasonChanged);
    QSignalSpy outEnded(out, &Call::endedAtChanged);
    out->hangUp();
    ASSERT_TRUE(
        waitFor([&] { return out->state() == Call::State::Ended && in->state() == Call::State::Ended; }));
    EXPECT_EQ(out->reason(), QStringLiteral("BYE sent"));
    EXPECT_EQ(in->reason(), QStringLiteral("BYE received"));
    EXPECT_GE(outReason.count(), 1);
    EXPECT_EQ(outEnded.count(), 1);
    EXPECT_TRUE(out->endedAt().isValid());
    EXPECT_GE(out->duration(), 0);
    // Ended calls stay queryable, and their commands do nothing.
    EXPECT_EQ(a.phone.calls(), QList<Call*>{out});
    out->hangUp();
    in->answer();
    EXPECT_EQ(out->state(), Call::State::Ended);
    EXPECT_TRUE(a.problems.isEmpty()) << a.problems.join(u'\n').toStdString();
    EXPECT_TRUE(b.problems.isEmpty()) << b.problems.join(u'\n').toStdString();
}

TEST(Facade, ARejectedCallEndsWith486OnTheCaller)
{
    TestPhone a, b;
    ASSERT_TRUE(a.start(5402));
    ASSERT_TRUE(b.start(5403));
    Call* out = a.phone.call(target("bob", 5403));
    ASSERT_NE(out, nullptr);
    QSignalSpy outCode(out, &Call::codeChanged);
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    b.incoming.front()->reject(); // 486 by default
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
    EXPECT_EQ(out->code(), 486);
    EXPECT_EQ(out->reason(), QStringLiteral("Busy Here"));
    ASSERT_FALSE(outCode.isEmpty());
    EXPECT_EQ(outCode.last().at(0).toInt(), 486);
    EXPECT_FALSE(out->connectedAt().isValid());
    EXPECT_EQ(out->duration(), 0);
    ASSERT_TRUE(waitFor([&] { return b.incoming.front()->state() == Call::State::Ended; }));
}

TEST(Facade, AMessageAppearsInThePeersThreadAndBecomesDelivered)
{
    TestPhone a, b;
    ASSERT_TRUE(a.start(5404));
    ASSERT_TRUE(b.start(5405));
    QSignalSpy received(&b.phone, &Phone::messageReceived);
    QSignalSpy bThreads(&b.phone, &Phone::threadsChanged);

    MessageThread* t = a.phone.sendMessage(target("bob", 5405), QStringLiteral("hello, Bob ☎"));
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->remoteUri(), target("bob", 5405));
    QSignalSpy delivered(t, &MessageThread::deliveryChanged);
    ASSERT_EQ(t->count(), 1);
    EXPECT_EQ(t->at(0).direction, MessageThread::Direction::Outgoing);
    EXPECT_EQ(t->at(0).delivery, MessageThread::Delivery::Sending);

    ASSERT_TRUE(waitFor([&] { return t->at(0).delivery != MessageThread::Delivery::Sending; }));
    EXPECT_EQ(t->at(0).delivery, MessageThread::Delivery::Delivered);
    EXPECT_EQ(t->at(0).code, 200);
    ASSERT_EQ(delivered.count(), 1);
    EXPECT_EQ(delivered.at(0).at(1).value<MessageThread::Delivery>(), MessageThread::Delivery::Delivered);
    // The model says the same through its roles.
    EXPECT_EQ(t->data(t->index(0), MessageThread::DeliveryRole).value<MessageThread::Delivery>(),
              MessageThread::Delivery::Delivered);

    ASSERT_TRUE(waitFor([&] { return received.count() == 1; }));
    auto* bt = received.at(0).at(0).value<MessageThread*>();
    ASSERT_NE(bt, nullptr);
    EXPECT_EQ(b.phone.threads(), QList<MessageThread*>{bt});
    EXPECT_EQ(bThreads.count(), 1);
    ASSERT_EQ(bt->count(), 1);
    EXPECT_EQ(bt->at(0).text, QStringLiteral("hello, Bob ☎"));
    EXPECT_EQ(bt->at(0).direction, MessageThread::Direction::Incoming);
    EXPECT_EQ(bt->data(bt->index(0), MessageThread::TextRole).toString(), QStringLiteral("hello, Bob ☎"));
    EXPECT_EQ(bt->roleNames().value(MessageThread::TextRole), QByteArray("text"));

    // A second message to the same peer (other parameters) goes into the same thread.
    EXPECT_EQ(
        a.phone.sendMessage(target("bob", 5405) + QStringLiteral(";transport=udp"), QStringLiteral("again")),
        t);
    ASSERT_TRUE(waitFor([&] { return bt->count() == 2; }));
    EXPECT_EQ(b.phone.threads().size(), 1);
}

TEST(Facade, AMessageToADeadPortEndsFailedWithACode)
{
    TestPhone a;
    ASSERT_TRUE(a.start(5406));
    MessageThread* t = a.phone.sendMessage(target("nobody", 5407), QStringLiteral("anyone?"));
    ASSERT_NE(t, nullptr);
    QSignalSpy changed(t, &MessageThread::dataChanged);
    ASSERT_TRUE(waitFor([&] { return t->at(0).delivery != MessageThread::Delivery::Sending; }));
    EXPECT_EQ(t->at(0).delivery, MessageThread::Delivery::Failed);
    EXPECT_GE(t->at(0).code, 400) << t->at(0).reason.toStdString();
    EXPECT_FALSE(t->at(0).reason.isEmpty());
    EXPECT_EQ(changed.count(), 1);
}

TEST(Facade, AnAccountAtASilentRegistrarGoesRegisteringThenFailed)
{
    QUdpSocket silent; // reads nothing, answers nothing
    ASSERT_TRUE(silent.bind(QHostAddress::LocalHost, 5409));
    TestPhone a;
    ua::AccountSettings s;
    s.uri = QStringLiteral("sip:alice@127.0.0.1:5409");
    s.displayName = QStringLiteral("Alice");
    s.password = QStringLiteral("secret-not-logged");
    Account* acc = a.phone.addAccount(s);
    ASSERT_NE(acc, nullptr);
    EXPECT_EQ(acc->uri(), QStringLiteral("sip:alice@127.0.0.1:5409"));
    EXPECT_EQ(acc->displayName(), QStringLiteral("Alice"));
    EXPECT_EQ(acc->registrationState(), Account::RegistrationState::Unregistered);
    EXPECT_EQ(a.phone.accounts(), QList<Account*>{acc});
    QSignalSpy state(acc, &Account::registrationStateChanged);
    QSignalSpy reason(acc, &Account::lastReasonChanged);

    ASSERT_TRUE(a.start(5408));
    ASSERT_TRUE(waitFor([&] { return acc->registrationState() == Account::RegistrationState::Failed; }));
    ASSERT_GE(state.count(), 2);
    EXPECT_EQ(state.at(0).at(0).value<Account::RegistrationState>(), Account::RegistrationState::Registering);
    EXPECT_EQ(state.last().at(0).value<Account::RegistrationState>(), Account::RegistrationState::Failed);
    EXPECT_EQ(acc->lastCode(), 0); // a timeout: no response at all
    EXPECT_TRUE(acc->lastReason().contains(QStringLiteral("no response"))) << acc->lastReason().toStdString();
    EXPECT_GE(reason.count(), 1);
    EXPECT_EQ(acc->expires(), 0);
    for (const QString& p : a.problems)
        EXPECT_FALSE(p.contains(QStringLiteral("secret-not-logged")));
}

TEST(Facade, AnAccountRegistersUnregistersAndCallsCarryIt)
{
    test::FakeRegistrar registrar; // 127.0.0.1, a free port
    TestPhone a;
    ua::AccountSettings s;
    s.uri = registrar.uri("alice");
    s.expires = 600;
    s.registerOnStart = false;
    Account* acc = a.phone.addAccount(s);
    ASSERT_NE(acc, nullptr);
    QSignalSpy expires(acc, &Account::expiresChanged);
    QSignalSpy code(acc, &Account::lastCodeChanged);
    ASSERT_TRUE(a.start(5416));
    QCoreApplication::processEvents();
    EXPECT_EQ(acc->registrationState(), Account::RegistrationState::Unregistered);
    EXPECT_TRUE(registrar.registers.empty());

    acc->registerAccount();
    ASSERT_TRUE(waitFor([&] { return acc->registrationState() == Account::RegistrationState::Registered; }));
    EXPECT_EQ(acc->lastCode(), 200);
    EXPECT_EQ(acc->expires(), 600);
    EXPECT_EQ(expires.count(), 1);
    EXPECT_GE(code.count(), 1);

    // A call from the phone belongs to its (first) account.
    Call* c = a.phone.call(QStringLiteral("sip:bob@127.0.0.1:5417"));
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->account(), acc);
    c->hangUp();
    ASSERT_TRUE(waitFor([&] { return c->state() == Call::State::Ended; }));

    acc->unregister();
    ASSERT_TRUE(
        waitFor([&] { return acc->registrationState() == Account::RegistrationState::Unregistered; }));
    EXPECT_EQ(acc->expires(), 0);
    EXPECT_EQ(registrar.registers.size(), 2u);
}

TEST(Facade, HoldAndResumeMoveTheCallBetweenHeldAndActiveThroughTheProvider)
{
    RecordingProvider media; // outlives the phone
    TestPhone a, b;
    a.phone.setSessionDescriptionProvider(&media);
    ASSERT_TRUE(a.start(5410));
    ASSERT_TRUE(b.start(5411));
    Call* out = a.phone.call(target("bob", 5411));
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    Call* in = b.incoming.front();
    EXPECT_EQ(in->remoteSdp(), out->localSdp()); // our provider's offer is what B got
    in->answer();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Active; }));
    EXPECT_EQ(media.lastRemote, out->remoteSdp());
    EXPECT_EQ(out->remoteSdp(), in->localSdp());

    QSignalSpy modified(out, &Call::modified);
    out->hold();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Held; }));
    ASSERT_EQ(modified.count(), 1);
    EXPECT_TRUE(modified.at(0).at(0).toBool());
    EXPECT_EQ(modified.at(0).at(1).toInt(), 200);
    EXPECT_NE(out->localSdp().find("a=sendonly"), std::string::npos);
    ASSERT_TRUE(waitFor([&] { return in->remoteSdp().find("a=sendonly") != std::string::npos; }));

    out->resume();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Active; }));
    EXPECT_NE(out->localSdp().find("a=sendrecv"), std::string::npos);
    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
    const QStringList expected{QStringLiteral("offer 1"), QStringLiteral("negotiated"),
                               QStringLiteral("offer 2"), QStringLiteral("negotiated"),
                               QStringLiteral("offer 3"), QStringLiteral("negotiated"),
                               QStringLiteral("ended")};
    EXPECT_EQ(media.log, expected) << media.log.join(u',').toStdString();
    EXPECT_TRUE(a.problems.isEmpty()) << a.problems.join(u'\n').toStdString();
}

TEST(Facade, ACallTheProviderCannotOfferForEndsBeforeAnyInvite)
{
    RecordingProvider media;
    TestPhone a, b;
    a.phone.setSessionDescriptionProvider(&media);
    ASSERT_TRUE(a.start(5430));
    ASSERT_TRUE(b.start(5431));
    media.refuseOffers = true;
    QPointer<Call> first = a.phone.call(target("bob", 5431));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->state(), Call::State::Ended);
    EXPECT_EQ(first->code(), 0);
    EXPECT_EQ(first->reason(), QStringLiteral("no free RTP port"));
    EXPECT_EQ(a.phone.calls(), QList<Call*>{first.data()});
    // The next call is the first INVITE B sees.
    media.refuseOffers = false;
    Call* second = a.phone.call(target("bob", 5431));
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    EXPECT_EQ(b.incoming.size(), 1);
    second->hangUp();
    ASSERT_TRUE(waitFor([&] { return second->state() == Call::State::Ended; }));
    const QStringList expected{QStringLiteral("offer 1"), QStringLiteral("ended"), QStringLiteral("offer 1"),
                               QStringLiteral("ended")};
    EXPECT_EQ(media.log, expected) << media.log.join(u',').toStdString();
}

TEST(Facade, AnIncomingOfferTheProviderRefusesIsRejectedWithItsStatus)
{
    RecordingProvider media;
    TestPhone a, b;
    b.phone.setSessionDescriptionProvider(&media);
    ASSERT_TRUE(a.start(5432));
    ASSERT_TRUE(b.start(5433));
    media.refuseAnswers = true;
    Call* out = a.phone.call(target("bob", 5433));
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    QPointer<Call> in = b.incoming.front();
    in->answer();
    EXPECT_EQ(in->state(), Call::State::Ended);
    EXPECT_EQ(in->code(), 488);
    EXPECT_EQ(in->reason(), QStringLiteral("no common codec"));
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
    EXPECT_EQ(out->code(), 488);
    const QStringList expected{QStringLiteral("answer"), QStringLiteral("ended")};
    EXPECT_EQ(media.log, expected) << media.log.join(u',').toStdString();
}

TEST(Facade, APeersReofferTheProviderRefusesIsAnswered488AndTheCallStaysUp)
{
    RecordingProvider aMedia, bMedia;
    TestPhone a, b;
    a.phone.setSessionDescriptionProvider(&aMedia);
    b.phone.setSessionDescriptionProvider(&bMedia);
    ASSERT_TRUE(a.start(5434));
    ASSERT_TRUE(b.start(5435));
    Call* out = a.phone.call(target("bob", 5435));
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    Call* in = b.incoming.front();
    in->answer();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Active; }));

    // Accepted first: B's provider answers A's hold offer.
    QSignalSpy outModified(out, &Call::modified);
    QSignalSpy inModified(in, &Call::modified);
    out->hold();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Held && inModified.count() == 1; }));
    EXPECT_EQ(inModified.at(0).at(1).toInt(), 200);
    EXPECT_NE(in->remoteSdp().find("a=sendonly"), std::string::npos);
    EXPECT_NE(in->localSdp().find("a=recvonly"), std::string::npos); // B's answer is in force

    bMedia.refuseAnswers = true;
    out->resume();
    ASSERT_TRUE(waitFor([&] { return outModified.count() == 2; }));
    EXPECT_TRUE(outModified.at(1).at(0).toBool()); // ours
    EXPECT_EQ(outModified.at(1).at(1).toInt(), 488);
    EXPECT_EQ(out->state(), Call::State::Held); // nothing changed
    ASSERT_TRUE(waitFor([&] { return inModified.count() == 2; }));
    EXPECT_EQ(inModified.at(1).at(1).toInt(), 488);
    EXPECT_EQ(in->state(), Call::State::Active);
    EXPECT_NE(in->localSdp().find("a=recvonly"), std::string::npos);
    EXPECT_TRUE(aMedia.log.contains(QStringLiteral("refused"))) << aMedia.log.join(u',').toStdString();
    const QStringList bExpected{QStringLiteral("answer"),       QStringLiteral("negotiated"),
                                QStringLiteral("remote offer"), QStringLiteral("answer"),
                                QStringLiteral("negotiated"),   QStringLiteral("remote offer"),
                                QStringLiteral("answer")};
    EXPECT_EQ(bMedia.log, bExpected) << bMedia.log.join(u',').toStdString();

    out->hangUp();
    ASSERT_TRUE(waitFor([&] { return in->state() == Call::State::Ended; }));
    EXPECT_EQ(in->reason(), QStringLiteral("BYE received"));
}

TEST(Facade, AnAnswerTheProviderFindsUnusableHangsTheCallUpSayingWhy)
{
    RecordingProvider media;
    TestPhone a, b;
    a.phone.setSessionDescriptionProvider(&media);
    ASSERT_TRUE(a.start(5436));
    ASSERT_TRUE(b.start(5437));
    media.unusable = true;
    Call* out = a.phone.call(target("bob", 5437));
    ASSERT_TRUE(waitFor([&] { return !b.incoming.isEmpty(); }));
    Call* in = b.incoming.front();
    in->answer();
    ASSERT_TRUE(waitFor([&] { return out->state() == Call::State::Ended; }));
    EXPECT_EQ(out->code(), 0);
    EXPECT_EQ(out->reason(), QStringLiteral("the answer has no usable stream"));
    EXPECT_FALSE(out->connectedAt().isValid());
    ASSERT_TRUE(waitFor([&] { return in->state() == Call::State::Ended; }));
    EXPECT_EQ(in->reason(), QStringLiteral("BYE received"));
    const QStringList expected{QStringLiteral("offer 1"), QStringLiteral("negotiated"),
                               QStringLiteral("ended")};
    EXPECT_EQ(media.log, expected) << media.log.join(u',').toStdString();
}

TEST(Facade, EndedCallsAreBoundedAndARemovedCallLeavesNoDanglingPointer)
{
    TestPhone a, b;
    a.phone.setMaxEndedCalls(1);
    ASSERT_TRUE(a.start(5412));
    ASSERT_TRUE(b.start(5413));
    QPointer<Call> first = a.phone.call(target("bob", 5413));
    ASSERT_TRUE(waitFor([&] { return b.incoming.size() == 1; }));
    b.incoming[0]->reject(603);
    ASSERT_TRUE(waitFor([&] { return first->state() == Call::State::Ended; }));
    QPointer<Call> second = a.phone.call(target("bob", 5413));
    ASSERT_TRUE(waitFor([&] { return b.incoming.size() == 2; }));
    b.incoming[1]->reject(480);
    ASSERT_TRUE(waitFor([&] { return !first; })); // the oldest ended call was dropped
    ASSERT_TRUE(second);
    EXPECT_EQ(second->code(), 480);
    EXPECT_EQ(a.phone.calls(), QList<Call*>{second.data()});

    // Removing a call that is still up hangs it up; the peer sees it end.
    QPointer<Call> third = a.phone.call(target("bob", 5413));
    ASSERT_TRUE(waitFor([&] { return b.incoming.size() == 3; }));
    b.incoming[2]->answer();
    ASSERT_TRUE(waitFor([&] { return third->state() == Call::State::Active; }));
    a.phone.removeCall(third);
    EXPECT_FALSE(a.phone.calls().contains(third.data()));
    ASSERT_TRUE(waitFor([&] { return !third; }));
    ASSERT_TRUE(waitFor([&] { return b.incoming[2]->state() == Call::State::Ended; }));
    EXPECT_EQ(b.incoming[2]->reason(), QStringLiteral("BYE received"));
}

TEST(Facade, BadInputIsAProblemNotACrash)
{
    TestPhone a;
    EXPECT_EQ(a.phone.call(target("bob", 5419)), nullptr); // not started
    ua::AccountSettings bad;
    bad.uri = QStringLiteral("not a uri");
    EXPECT_EQ(a.phone.addAccount(bad), nullptr);
    bad.uri = QStringLiteral("sip:example.test"); // no user
    EXPECT_EQ(a.phone.addAccount(bad), nullptr);
    bad.uri = QStringLiteral("sip:alice@example.test");
    bad.outboundProxy = QStringLiteral("mailto:x@y");
    EXPECT_EQ(a.phone.addAccount(bad), nullptr);
    EXPECT_TRUE(a.phone.accounts().isEmpty());
    EXPECT_FALSE(a.phone.start({QStringLiteral("carrier-pigeon:127.0.0.1:5418")}));
    EXPECT_FALSE(a.phone.running());
    EXPECT_EQ(a.problems.size(), 5) << a.problems.join(u'\n').toStdString();
    EXPECT_TRUE(a.problems[3].contains(QStringLiteral("outbound proxy 'mailto:x@y'")));

    QSignalSpy running(&a.phone, &Phone::runningChanged);
    ASSERT_TRUE(a.start(5418));
    EXPECT_TRUE(a.phone.running());
    EXPECT_EQ(running.count(), 1);
    EXPECT_EQ(a.phone.listenAddresses(), QStringList{QStringLiteral("udp:127.0.0.1:5418")});
    a.problems.clear();
    EXPECT_FALSE(a.phone.start({QStringLiteral("udp:127.0.0.1:5418")})); // twice
    EXPECT_EQ(a.phone.call(QStringLiteral("http://example.test/")), nullptr);
    EXPECT_EQ(a.phone.sendMessage(QStringLiteral("<<>>"), QStringLiteral("x")), nullptr);
    bad.outboundProxy.clear();
    EXPECT_EQ(a.phone.addAccount(bad), nullptr); // too late
    EXPECT_EQ(a.problems.size(), 4) << a.problems.join(u'\n').toStdString();

    // Commands in the wrong state: a problem each, and the call is unharmed.
    Call* c = a.phone.call(target("bob", 5419)); // nobody there
    ASSERT_NE(c, nullptr);
    a.problems.clear();
    c->answer();
    c->reject(486);
    c->hold();
    EXPECT_EQ(a.problems.size(), 3) << a.problems.join(u'\n').toStdString();
    EXPECT_EQ(c->state(), Call::State::Calling);
    c->hangUp();
    ASSERT_TRUE(waitFor([&] { return c->state() == Call::State::Ended; }));
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
