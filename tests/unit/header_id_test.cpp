#include "sip/header_id.h"
#include "sip/method.h"

#include <gtest/gtest.h>

using namespace vphone::sip;

TEST(HeaderId, LongNamesAreCaseInsensitive)
{
    EXPECT_EQ(headerIdFromName("Via"), HeaderId::Via);
    EXPECT_EQ(headerIdFromName("VIA"), HeaderId::Via);
    EXPECT_EQ(headerIdFromName("MaX-fOrWaRdS"), HeaderId::MaxForwards);
    EXPECT_EQ(headerIdFromName("call-id"), HeaderId::CallId);
    EXPECT_EQ(headerIdFromName("WWW-Authenticate"), HeaderId::WwwAuthenticate);
    EXPECT_EQ(headerIdFromName("p-asserted-identity"), HeaderId::PAssertedIdentity);
    EXPECT_EQ(headerIdFromName("Subscription-State"), HeaderId::SubscriptionState);
}

TEST(HeaderId, CompactFormsMapToTheirLongHeaders)
{
    const std::pair<const char*, HeaderId> compact[] = {
        {"i", HeaderId::CallId},
        {"m", HeaderId::Contact},
        {"f", HeaderId::From},
        {"t", HeaderId::To},
        {"v", HeaderId::Via},
        {"l", HeaderId::ContentLength},
        {"c", HeaderId::ContentType},
        {"k", HeaderId::Supported},
        {"s", HeaderId::Subject},
        {"e", HeaderId::ContentEncoding},
        {"o", HeaderId::Event},
        {"r", HeaderId::ReferTo},
        {"b", HeaderId::ReferredBy},
        {"u", HeaderId::AllowEvents},
        {"x", HeaderId::SessionExpires},
        {"V", HeaderId::Via},
    };
    for (const auto& [name, id] : compact)
        EXPECT_EQ(headerIdFromName(name), id) << name;
}

TEST(HeaderId, UnknownNamesAreOtherAndEmptyIsInvalid)
{
    EXPECT_EQ(headerIdFromName("NewFangledHeader"), HeaderId::Other);
    EXPECT_EQ(headerIdFromName("C%6Fntact"), HeaderId::Other);
    EXPECT_EQ(headerIdFromName("z"), HeaderId::Other);
    EXPECT_EQ(headerIdFromName("X-A-Very-Long-Header-Name-Indeed"), HeaderId::Other);
    EXPECT_EQ(headerIdFromName(""), HeaderId::Invalid);
}

TEST(HeaderId, EveryIdRoundTripsThroughItsName)
{
    for (int i = static_cast<int>(HeaderId::Accept); i < static_cast<int>(HeaderId::Count_); ++i) {
        const auto id = static_cast<HeaderId>(i);
        EXPECT_EQ(headerIdFromName(headerName(id)), id) << headerName(id);
        EXPECT_NE(headerShape(id), HeaderShape::Invalid);
    }
}

TEST(HeaderId, ShapesSayWhichHeadersAreListsAndWhichAreSingle)
{
    EXPECT_EQ(headerShape(HeaderId::Via), HeaderShape::List);
    EXPECT_EQ(headerShape(HeaderId::Contact), HeaderShape::List);
    EXPECT_EQ(headerShape(HeaderId::CallId), HeaderShape::Single);
    EXPECT_EQ(headerShape(HeaderId::Date), HeaderShape::Single);
    EXPECT_EQ(headerShape(HeaderId::WwwAuthenticate), HeaderShape::Free);
}

TEST(Method, KnownMethodsAreCaseSensitive)
{
    EXPECT_EQ(methodFromString("INVITE"), Method::Invite);
    EXPECT_EQ(methodFromString("invite"), Method::Extension);
    EXPECT_EQ(methodFromString("PRACK"), Method::Prack);
    EXPECT_EQ(methodFromString("NEWMETHOD"), Method::Extension);
    EXPECT_EQ(methodFromString(""), Method::Invalid);
    EXPECT_EQ(methodName(Method::Subscribe), "SUBSCRIBE");
    EXPECT_EQ(methodName(Method::Extension), "");
}
