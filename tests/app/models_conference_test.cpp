// ConferenceModel and CallItem's transfer (ui/models) between PhoneControllers on 127.0.0.1 (SIP
// 6230-6238, RTP 16820-16891 and 16960-16995), under an offscreen QGuiApplication: the host calls two others
// and merges the calls (the rows: "You" first, then both, joined; the bridge's participants show the
// speaking), removes one, leaves (every call ends); a call is transferred blind to a third
// controller (the transferee calls it, the progress says "Transferred" and the call ends); a
// participant added to a call makes a three-way conference; an address that is not one is
// refused in words; an attended transfer joins the two other parties. Waits are bounded (15 s), never timed.
#include "models/conference_model.h"
#include "models/phone_controller.h"
#include "models_test_util.h"

#include <QGuiApplication>

#include <gtest/gtest.h>

using namespace vphone;
using ui::CallItem;
using ui::ConferenceMember;
using ui::PhoneController;

namespace {

using test::waitFor;

ui::ProfileConfig profile(int sipPort, std::uint16_t rtpMin, const char* tone)
{
    ui::ProfileConfig c;
    c.listen = {QStringLiteral("udp:127.0.0.1:%1").arg(sipPort)};
    c.media.rtpPorts = {rtpMin, static_cast<std::uint16_t>(rtpMin + 11)};
    c.media.codecs = {"pcmu", "telephone-event"};
    c.media.audioSource = tone;
    c.media.audioSink = "null";
    c.media.videoSource = "off";
    return c;
}

/// Answers the next incoming call of `callee` (audio only).
bool answerNext(PhoneController& callee)
{
    if (!waitFor([&] { return callee.incomingCall() != nullptr; }, 15000)) return false;
    callee.answer(false);
    return true;
}

ConferenceMember* row(ui::ConferenceModel* conf, int i)
{
    return qobject_cast<ConferenceMember*>(conf->members().value(i));
}

} // namespace

TEST(ConferenceModel, TwoCallsMergedShowTheHostFirstThenBothAndLeaveEndsEveryCall)
{
    PhoneController host(profile(6230, 16820, "tone:440"));
    PhoneController b(profile(6231, 16832, "tone:660"));
    PhoneController c(profile(6232, 16844, "tone:880"));
    ASSERT_TRUE(host.start() && b.start() && c.start()) << host.lastProblem().toStdString();
    ui::ConferenceModel* conf = host.conference();
    ASSERT_NE(conf, nullptr);
    EXPECT_FALSE(conf->active());
    EXPECT_FALSE(conf->canMerge());
    EXPECT_FALSE(conf->merge()); // nothing to merge: refused

    ASSERT_TRUE(host.dial(QStringLiteral("127.0.0.1:6231"), false));
    ASSERT_TRUE(answerNext(b));
    ASSERT_TRUE(host.dial(QStringLiteral("127.0.0.1:6232"), false));
    ASSERT_TRUE(answerNext(c));
    ASSERT_TRUE(waitFor([&] { return conf->canMerge(); }, 15000));

    ASSERT_TRUE(conf->merge()) << host.lastProblem().toStdString();
    ASSERT_TRUE(waitFor([&] { return conf->active() && conf->memberCount() == 2; }, 15000))
        << host.lastProblem().toStdString();
    ASSERT_EQ(conf->members().size(), 3);
    EXPECT_TRUE(row(conf, 0)->host());
    EXPECT_EQ(row(conf, 0)->name(), QLatin1String("You"));
    EXPECT_EQ(row(conf, 1)->uri(), QLatin1String("sip:127.0.0.1:6231"));
    EXPECT_EQ(row(conf, 2)->uri(), QLatin1String("sip:127.0.0.1:6232"));
    EXPECT_TRUE(row(conf, 1)->joined() && row(conf, 2)->joined());
    EXPECT_EQ(row(conf, 1)->callItem()->peerUri(), QLatin1String("sip:127.0.0.1:6231"));
    EXPECT_FALSE(conf->canMerge());
    // Everyone sends a tone: the bridge hears each member speaking.
    EXPECT_TRUE(waitFor([&] { return row(conf, 1)->speaking() && row(conf, 2)->speaking(); }, 15000));

    // Remove C: its call ends, B stays.
    CallItem* toC = row(conf, 2)->callItem();
    conf->remove(row(conf, 2));
    ASSERT_TRUE(waitFor([&] { return conf->memberCount() == 1 && conf->members().size() == 2; }, 15000));
    EXPECT_TRUE(waitFor([&] { return toC == nullptr || toC->ended(); }, 15000));
    EXPECT_TRUE(conf->active());

    // Leave: B's call ends and the conference is over.
    CallItem* toB = row(conf, 1)->callItem();
    conf->leave();
    ASSERT_TRUE(waitFor([&] { return !conf->active(); }, 15000));
    EXPECT_TRUE(waitFor([&] { return toB == nullptr || toB->ended(); }, 15000));
    EXPECT_TRUE(conf->members().isEmpty());
}

TEST(ConferenceModel, ACallIsTransferredBlindAndEndsWhenTheTargetAnswers)
{
    PhoneController a(profile(6233, 16856, "tone:440"));
    PhoneController b(profile(6234, 16868, "tone:660"));
    PhoneController c(profile(6235, 16880, "tone:880"));
    ASSERT_TRUE(a.start() && b.start() && c.start()) << a.lastProblem().toStdString();
    ASSERT_TRUE(a.dial(QStringLiteral("127.0.0.1:6234"), false));
    ASSERT_TRUE(answerNext(b));
    ASSERT_TRUE(waitFor([&] { return a.currentCall() && a.currentCall()->active(); }, 15000));
    CallItem* call = a.currentCall();

    EXPECT_FALSE(call->transfer(QStringLiteral("sip:")));
    EXPECT_TRUE(call->transferText().startsWith(QLatin1String("Transfer failed: ")))
        << call->transferText().toStdString();

    ASSERT_TRUE(call->transfer(QStringLiteral("127.0.0.1:6235"))) << a.lastProblem().toStdString();
    EXPECT_TRUE(call->transferText().startsWith(QLatin1String("Transferring")));
    ASSERT_TRUE(answerNext(c)); // B calls C on A's REFER
    ASSERT_TRUE(waitFor([&] { return c.currentCall() && c.currentCall()->active(); }, 15000));
    EXPECT_TRUE(c.currentCall()->peerUri().contains(QLatin1String("6234")))
        << c.currentCall()->peerUri().toStdString();
    ASSERT_TRUE(waitFor([&] { return call->transferText() == QLatin1String("Transferred"); }, 15000))
        << call->transferText().toStdString();
    EXPECT_TRUE(waitFor([&] { return call->ended(); }, 15000));
}

// Attended transfer from the app (SIP 6250-6252, RTP 17400-17435): A talks to B and to C, then
// transfers B to C (REFER with Replaces, RFC 3891): B's INVITE replaces A's call at C, B and C
// talk, A's two calls end.
TEST(ConferenceModel, AnAttendedTransferJoinsTheTwoOtherPartiesAndEndsBothCalls)
{
    PhoneController a(profile(6250, 17400, "tone:440"));
    PhoneController b(profile(6251, 17412, "tone:660"));
    PhoneController c(profile(6252, 17424, "tone:880"));
    ASSERT_TRUE(a.start() && b.start() && c.start()) << a.lastProblem().toStdString();
    ASSERT_TRUE(a.dial(QStringLiteral("127.0.0.1:6251"), false));
    ASSERT_TRUE(answerNext(b));
    ASSERT_TRUE(waitFor([&] { return a.currentCall() && a.currentCall()->active(); }, 15000));
    CallItem* toB = a.currentCall();
    ASSERT_TRUE(a.dial(QStringLiteral("127.0.0.1:6252"), false)); // the consultation call
    ASSERT_TRUE(answerNext(c));
    ASSERT_TRUE(waitFor([&] { return a.currentCall() != toB && a.currentCall()->active(); }, 15000));
    CallItem* toC = a.currentCall();
    CallItem* cFromA = c.currentCall();
    ASSERT_NE(cFromA, nullptr);

    ASSERT_TRUE(toB->transferTo(toC)) << a.lastProblem().toStdString();
    ASSERT_TRUE(waitFor(
        [&] { return c.currentCall() != cFromA && c.currentCall() && c.currentCall()->active(); }, 15000));
    EXPECT_TRUE(c.currentCall()->peerUri().contains(QLatin1String("6251")))
        << c.currentCall()->peerUri().toStdString();              // C now talks to B
    EXPECT_TRUE(waitFor([&] { return cFromA->ended(); }, 15000)); // replaced
    EXPECT_TRUE(waitFor([&] { return toB->ended() && toC->ended(); }, 15000));
    EXPECT_EQ(toB->transferText(), QLatin1String("Transferred"));
    c.currentCall()->hangUp();
}

TEST(ConferenceModel, AddingAParticipantToACallMakesAThreeWayConference)
{
    PhoneController host(profile(6236, 16960, "tone:440"));
    PhoneController b(profile(6237, 16972, "tone:660"));
    PhoneController c(profile(6238, 16984, "tone:880"));
    ASSERT_TRUE(host.start() && b.start() && c.start()) << host.lastProblem().toStdString();
    ui::ConferenceModel* conf = host.conference();
    EXPECT_FALSE(conf->addParticipant(QStringLiteral("sip:"))); // not an address: no call
    ASSERT_TRUE(host.dial(QStringLiteral("127.0.0.1:6237"), false));
    ASSERT_TRUE(answerNext(b));
    ASSERT_TRUE(waitFor([&] { return host.currentCall() && host.currentCall()->active(); }, 15000));

    ASSERT_TRUE(conf->addParticipant(QStringLiteral("127.0.0.1:6238"))) << host.lastProblem().toStdString();
    EXPECT_TRUE(conf->active());
    ASSERT_TRUE(answerNext(c));
    ASSERT_TRUE(waitFor([&] { return conf->memberCount() == 2; }, 15000)) << host.lastProblem().toStdString();
    ASSERT_EQ(conf->members().size(), 3);
    EXPECT_EQ(row(conf, 1)->uri(), QLatin1String("sip:127.0.0.1:6237")); // the call that was up
    EXPECT_EQ(row(conf, 2)->uri(), QLatin1String("sip:127.0.0.1:6238")); // the one added
    conf->leave();
    EXPECT_TRUE(waitFor([&] { return !conf->active(); }, 15000));
}

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
