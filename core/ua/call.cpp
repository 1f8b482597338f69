#include "ua/call.h"

#include "ua/account.h"
#include "ua/phone.h"

namespace vphone::ua {

Call::Call(Phone* phone, Direction direction, QString remoteUri, QString remoteDisplayName, Account* account)
    : QObject(phone), phone_(phone), account_(account), direction_(direction),
      remoteUri_(std::move(remoteUri)), remoteDisplayName_(std::move(remoteDisplayName)),
      startedAt_(QDateTime::currentDateTimeUtc())
{}

Call::~Call()
{
    if (phone_) phone_->forget(this);
}

Account* Call::account() const
{
    return account_.data();
}

int Call::duration() const
{
    if (!connectedAt_.isValid()) return 0;
    const QDateTime until = endedAt_.isValid() ? endedAt_ : QDateTime::currentDateTimeUtc();
    return static_cast<int>(connectedAt_.secsTo(until));
}

void Call::answer()
{
    if (phone_) phone_->answer(this);
}

void Call::reject(int code)
{
    if (phone_) phone_->reject(this, code);
}

void Call::hangUp()
{
    if (phone_) phone_->hangUp(this);
}

void Call::reinvite()
{
    if (phone_) phone_->modify(this, SessionDescriptionProvider::Purpose::Refresh);
}

void Call::hold()
{
    if (phone_) phone_->modify(this, SessionDescriptionProvider::Purpose::Hold);
}

void Call::resume()
{
    if (phone_) phone_->modify(this, SessionDescriptionProvider::Purpose::Resume);
}

void Call::setState(State state, int code, const QString& reason)
{
    if (state_ == State::Ended) return; // final
    // Every property first, then the signals, so a slot reading the others sees the new values.
    const bool stateMoved = state != state_;
    const bool codeMoved = code != code_;
    const bool reasonMoved = reason != reason_;
    const bool connecting = state == State::Active && !connectedAt_.isValid();
    const bool ending = state == State::Ended;
    state_ = state;
    code_ = code;
    reason_ = reason;
    if (connecting) connectedAt_ = QDateTime::currentDateTimeUtc();
    if (ending) endedAt_ = QDateTime::currentDateTimeUtc();
    if (codeMoved) emit codeChanged(code);
    if (reasonMoved) emit reasonChanged(reason);
    if (connecting) emit connectedAtChanged();
    if (ending) emit endedAtChanged();
    if (connecting || (ending && connectedAt_.isValid())) emit durationChanged();
    if (stateMoved) emit stateChanged(state);
}

} // namespace vphone::ua
