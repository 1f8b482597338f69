// PhoneController's chat side (see phone_controller.h): the message threads of the Phone as
// conversations and messages models, sending, and opening a conversation.
#include "models/phone_controller.h"

namespace vphone::ui {

QString PhoneController::accountUriOf(const ua::MessageThread* thread) const
{
    const ua::Account* a = thread ? thread->account() : nullptr;
    return a ? a->uri() : QString();
}

void PhoneController::watchThread(ua::MessageThread* thread)
{
    if (!thread || watched_.contains(thread)) return;
    watched_.insert(thread);
    connect(thread, &QObject::destroyed, this, [this, thread] {
        watched_.remove(thread);
        sentIds_.remove(thread);
    });
    connect(thread, &ua::MessageThread::deliveryChanged, this,
            [this, thread](int row, ua::MessageThread::Delivery delivery) {
                const qint64 id = sentIds_.value(thread).value(row);
                if (!db_ || id == 0) return;
                const contacts::DeliveryState state =
                    delivery == ua::MessageThread::Delivery::Delivered ? contacts::DeliveryState::Delivered
                    : delivery == ua::MessageThread::Delivery::Failed  ? contacts::DeliveryState::Failed
                                                                       : contacts::DeliveryState::Sent;
                if (auto ok = db_->setDeliveryState(id, state); !ok) setProblem(ok.error().what);
                log({{QStringLiteral("event"), QStringLiteral("delivery")},
                     {QStringLiteral("peer"), thread->remoteUri()},
                     {QStringLiteral("state"), static_cast<int>(state)}});
                if (messages_.peerUri() == thread->remoteUri()) messages_.reload();
                conversations_.reload();
            });
}

bool PhoneController::sendMessage(const QString& peer, const QString& text)
{
    if (text.trimmed().isEmpty()) return false;
    ua::Account* account = phone_->accounts().value(0);
    QString uri = peer;
    if (!peer.startsWith(QLatin1String("sip:")) && !peer.startsWith(QLatin1String("sips:"))) {
        const DialTarget target = normaliseDialTarget(peer, planFor(account));
        if (!target.ok()) {
            setProblem(target.error);
            return false;
        }
        uri = target.uri;
    }
    ua::MessageThread* thread = phone_->thread(uri, account);
    if (!thread) return false;
    watchThread(thread);
    contacts::Message stored;
    stored.accountUri = accountUriOf(thread);
    stored.peerUri = thread->remoteUri();
    stored.direction = contacts::Direction::Outgoing;
    stored.text = text;
    stored.time = QDateTime::currentDateTimeUtc();
    stored.state = contacts::DeliveryState::Sent;
    stored.read = true;
    qint64 id = 0;
    if (db_) {
        if (auto added = db_->addMessage(stored))
            id = *added;
        else
            setProblem(added.error().what);
    }
    const int row = thread->count(); // the row send() appends
    if (id != 0) sentIds_[thread][row] = id;
    const int sent = thread->send(text);
    if (sent != row && id != 0) {
        sentIds_[thread].remove(row);
        sentIds_[thread][sent] = id;
    }
    if (db_ && sent >= 0 && thread->at(sent).delivery == ua::MessageThread::Delivery::Failed)
        (void)db_->setDeliveryState(id, contacts::DeliveryState::Failed);
    log({{QStringLiteral("event"), QStringLiteral("send")},
         {QStringLiteral("peer"), stored.peerUri},
         {QStringLiteral("text"), text}});
    if (messages_.peerUri() == stored.peerUri) messages_.reload();
    conversations_.reload();
    return true;
}

void PhoneController::openConversation(const QString& peerUri, const QString& accountUri)
{
    QString account = accountUri;
    if (account.isEmpty()) {
        for (const contacts::Conversation& c : conversations_.rows()) {
            if (c.peerUri == peerUri) account = c.accountUri;
        }
    }
    messagesOpen_ = !peerUri.isEmpty();
    if (db_ && !peerUri.isEmpty()) {
        if (auto ok = db_->markConversationRead(account, peerUri); !ok) setProblem(ok.error().what);
    }
    messages_.setConversation(account, peerUri);
    conversations_.reload();
}

} // namespace vphone::ui
