// PhoneController (ui/models) against another PhoneController on 127.0.0.1 (SIP 5614-5615, RTP
// 12500-12539), under an offscreen QGuiApplication: a typed address is dialled with video, the
// callee answers with video, frames reach both remote views and the self view, the quality
// figures fill in, mute, camera off/on (re-INVITEs), hold/resume, DTMF and hang-up work; typing
// garbage gives a sentence and no call. Waits are bounded (10 s), never timed.
#include "models/phone_controller.h"
#include "models_test_util.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QVideoFrame>
#include <QVideoSink>

#include <gtest/gtest.h>

using namespace vphone;
using ui::CallItem;
using ui::PhoneController;

namespace {

using test::waitFor;

ui::ProfileConfig profile(int sipPort, std::uint16_t rtpMin)
{
    ui::ProfileConfig c;
    c.listen = {QStringLiteral("udp:127.0.0.1:%1").arg(sipPort)};
    c.media.rtpPorts = {rtpMin, static_cast<std::uint16_t>(rtpMin + 19)};
    c.media.codecs = {"pcmu", "telephone-event"};
    c.media.audioSource = "tone:440";
    c.media.videoSource = "testsrc:320x180@15";
    c.media.rtcpMinimumInterval = std::chrono::milliseconds(500);
    c.media.srtp = sdp::SrtpPolicy::Optional;
    return c;
}

/// Counts the frames a view (a QML VideoOutput's sink) is given.
struct View {
    QVideoSink sink;
    int frames = 0;
    View()
    {
        QObject::connect(&sink, &QVideoSink::videoFrameChanged, [this](const QVideoFrame& f) {
            if (f.isValid()) ++frames;
        });
    }
};

} // namespace

TEST(PhoneController, AVideoCallBetweenTwoControllersCarriesMediaAndObeysTheButtons)
{
    PhoneController alice(profile(5614, 12500));
    PhoneController bob(profile(5615, 12520));
    ASSERT_TRUE(alice.start()) << alice.lastProblem().toStdString();
    ASSERT_TRUE(bob.start()) << bob.lastProblem().toStdString();
    EXPECT_NE(alice.accountStatus().indexOf(QLatin1String("direct IP calls on udp:127.0.0.1:5614")), -1)
        << alice.accountStatus().toStdString();
    EXPECT_EQ(alice.accountLevel(), QLatin1String("ok"));

    ASSERT_TRUE(alice.dial(QStringLiteral("127.0.0.1:5615"), true)) << alice.lastProblem().toStdString();
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    CallItem* in = bob.incomingCall();
    EXPECT_TRUE(in->incoming());
    in->answer(true);
    ASSERT_TRUE(
        waitFor([&] { return alice.currentCall() && alice.currentCall()->active() && in->active(); }));
    CallItem* out = alice.currentCall();
    EXPECT_EQ(out->peerUri(), QLatin1String("sip:127.0.0.1:5615"));
    EXPECT_TRUE(out->video());
    EXPECT_TRUE(in->video());
    EXPECT_EQ(bob.incomingCall(), nullptr);

    View aliceRemote, aliceSelf, bobRemote;
    out->setRemoteView(&aliceRemote.sink);
    out->setLocalView(&aliceSelf.sink);
    in->setRemoteView(&bobRemote.sink);
    EXPECT_TRUE(waitFor([&] {
        return aliceRemote.frames > 3 && bobRemote.frames > 3 && aliceSelf.frames > 3;
    })) << aliceRemote.frames
        << " " << bobRemote.frames << " " << aliceSelf.frames;
    // The figures are re-read each second.
    EXPECT_TRUE(waitFor([&] { return out->qualityText().contains(QStringLiteral("PCMU · loss")); }))
        << out->qualityText().toStdString();
    EXPECT_TRUE(waitFor([&] { return out->qualityText().contains(QLatin1String("SRTP AES")); }))
        << out->qualityText().toStdString();
    EXPECT_TRUE(waitFor([&] { return out->qualityText().contains(QLatin1String("320x180")); }))
        << out->qualityText().toStdString();
    EXPECT_FALSE(out->quality().isEmpty());
    EXPECT_TRUE(waitFor([&] { return out->remoteVideoShown(); }));
    // The details panel: a header and figures per stream.
    const auto detail = [&](const QString& label) {
        QStringList values;
        for (const QVariant& row : out->details())
            if (row.toMap().value(QStringLiteral("label")).toString() == label)
                values << row.toMap().value(QStringLiteral("value")).toString();
        return values;
    };
    EXPECT_TRUE(waitFor([&] {
        return detail(QStringLiteral("Resolution")).contains(QStringLiteral("320×180"));
    })) << detail(QStringLiteral("Resolution")).join(QLatin1Char(',')).toStdString();
    EXPECT_EQ(detail(QStringLiteral("Audio")).size(), 1);
    EXPECT_EQ(detail(QStringLiteral("Video")).size(), 1);
    EXPECT_TRUE(detail(QStringLiteral("Codec")).contains(QStringLiteral("PCMU")));
    EXPECT_EQ(detail(QStringLiteral("Encryption")).size(), 2);
    EXPECT_TRUE(detail(QStringLiteral("Encryption")).first().startsWith(QLatin1String("SRTP AES")));
    EXPECT_TRUE(detail(QStringLiteral("Packets")).first().contains(QLatin1String("received")));

    out->toggleMute();
    EXPECT_TRUE(out->muted());
    out->toggleMute();
    EXPECT_FALSE(out->muted());

    // Camera off and on: each a re-INVITE (removing, then adding the video stream) that succeeds.
    QSignalSpy modified(out->call(), &ua::Call::modified);
    out->toggleVideo();
    EXPECT_FALSE(out->video());
    ASSERT_TRUE(waitFor([&] { return modified.size() == 1; }));
    EXPECT_EQ(modified.at(0).at(1).toInt(), 200);
    const int before = bobRemote.frames;
    out->toggleVideo();
    EXPECT_TRUE(out->video());
    ASSERT_TRUE(waitFor([&] { return modified.size() == 2; }));
    EXPECT_EQ(modified.at(1).at(1).toInt(), 200);
    EXPECT_TRUE(waitFor([&] { return bobRemote.frames > before + 3; }));

    out->toggleHold();
    EXPECT_TRUE(waitFor([&] { return out->held() && out->state() == QLatin1String("Held"); }));
    EXPECT_TRUE(waitFor([&] { return in->remoteHeld(); })); // bob's view says alice holds him
    EXPECT_FALSE(in->held());
    out->toggleHold();
    EXPECT_TRUE(waitFor([&] { return !out->held() && out->state() == QLatin1String("Active"); }));
    EXPECT_TRUE(waitFor([&] { return !in->remoteHeld(); }));

    QSignalSpy dtmf(&bob.media(), &ui::MediaSessionProvider::dtmfReceived);
    out->sendDtmf(QStringLiteral("5"));
    EXPECT_TRUE(waitFor([&] { return dtmf.size() == 1; }));

    alice.hangUp();
    EXPECT_TRUE(waitFor([&] { return out->ended() && in->ended(); }));
    EXPECT_EQ(alice.currentCall(), nullptr);
    EXPECT_EQ(bob.currentCall(), nullptr);
    EXPECT_EQ(alice.calls().size(), 1);
}

TEST(PhoneController, GarbageInTheDialBarGivesASentenceAndNoCall)
{
    PhoneController phone(profile(5614, 12500));
    ASSERT_TRUE(phone.start());
    QSignalSpy problem(&phone, &PhoneController::lastProblemChanged);
    EXPECT_FALSE(phone.dial(QStringLiteral("bob smith"), false));
    EXPECT_EQ(problem.size(), 1);
    EXPECT_EQ(phone.lastProblem(), QLatin1String("'bob smith' is not a number or a SIP address"));
    EXPECT_FALSE(phone.dial(QStringLiteral("+4930123"), false)); // a number needs an account
    EXPECT_TRUE(phone.lastProblem().contains(QLatin1String("needs an account")));
    EXPECT_TRUE(phone.calls().isEmpty());
    EXPECT_EQ(phone.currentCall(), nullptr);
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

// Call waiting (SIP 5640-5642, RTP 12700-12759): alice talks to bob, carol calls (alice hears
// the waiting tone over bob); answering carol puts bob on hold first, and resuming bob puts carol on hold:
// one call talks at a time.
TEST(PhoneController, CallWaitingHoldsTheCallThatIsUpAndSwitchesBetweenCalls)
{
    PhoneController alice(profile(5640, 12700));
    PhoneController bob(profile(5641, 12720));
    PhoneController carol(profile(5642, 12740));
    ASSERT_TRUE(alice.start() && bob.start() && carol.start());

    ASSERT_TRUE(alice.dial(QStringLiteral("127.0.0.1:5641"), false));
    ASSERT_TRUE(waitFor([&] { return bob.incomingCall() != nullptr; }));
    CallItem* bobIn = bob.incomingCall();
    bob.answer(false);
    CallItem* toBob = alice.currentCall();
    ASSERT_NE(toBob, nullptr);
    ASSERT_TRUE(waitFor([&] { return toBob->active() && bobIn->active(); }));

    ASSERT_TRUE(carol.dial(QStringLiteral("127.0.0.1:5640"), false));
    ASSERT_TRUE(waitFor([&] { return alice.incomingCall() != nullptr; }));
    CallItem* fromCarol = alice.incomingCall();
    EXPECT_TRUE(toBob->active() && !toBob->held()); // ringing does not disturb the call
    // ... but alice hears the call-waiting tone over bob (ui/common/call_waiting.h).
    EXPECT_TRUE(waitFor([&] { return alice.media().session(toBob->call())->localTone(); }));
    fromCarol->answer(false);
    EXPECT_TRUE(waitFor([&] { return fromCarol->active() && toBob->held(); }));
    EXPECT_FALSE(alice.media().session(toBob->call())->localTone()); // answered: the tone stops
    EXPECT_TRUE(waitFor([&] { return bobIn->remoteHeld(); }));       // bob hears he is held
    EXPECT_EQ(alice.currentCall(), fromCarol);
    CallItem* carolOut = carol.currentCall();
    ASSERT_NE(carolOut, nullptr);
    EXPECT_FALSE(carolOut->remoteHeld());

    // Back to bob: carol goes on hold, bob comes off it.
    toBob->toggleHold();
    EXPECT_TRUE(waitFor([&] { return !toBob->held() && fromCarol->held(); }));
    EXPECT_TRUE(waitFor([&] { return !bobIn->remoteHeld() && carolOut->remoteHeld(); }));
    EXPECT_EQ(alice.currentCall(), toBob);

    toBob->hangUp();
    fromCarol->hangUp();
    EXPECT_TRUE(waitFor([&] { return toBob->ended() && fromCarol->ended(); }));
}

// A TLS account needs no certificate of our own: the phone starts (SIP 5646, nothing listens on
// 127.0.0.1:5645, so the registration fails in words) instead of refusing to listen.
TEST(PhoneController, ATlsAccountStartsWithoutACertificateOfItsOwn)
{
    ui::ProfileConfig c = profile(5646, 12880);
    ui::ProfileAccount a;
    a.settings.uri = QStringLiteral("sip:alice@127.0.0.1");
    a.settings.password = QStringLiteral("secret");
    a.settings.registrar = QStringLiteral("sip:127.0.0.1:5645");
    a.transport = QStringLiteral("tls");
    a.plan.domain = QStringLiteral("127.0.0.1");
    c.accounts = {a};
    PhoneController phone(c);
    ASSERT_TRUE(phone.start()) << phone.lastProblem().toStdString();
    EXPECT_TRUE(phone.phone().running());
    ASSERT_EQ(phone.phone().accounts().size(), 1);
    EXPECT_TRUE(waitFor([&] {
        return phone.phone().accounts().first()->registrationState() ==
               ua::Account::RegistrationState::Failed;
    })) << phone.accountStatus().toStdString();
}
