# The desktop app's models (ui/models): the dial-target normaliser, pure (no sockets, no clock).
add_executable(vphone_models_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/models_dial_target_test.cpp)
target_link_libraries(vphone_models_tests PRIVATE vphone_dial_target GTest::gtest_main)
gtest_discover_tests(vphone_models_tests DISCOVERY_TIMEOUT 60)

# PhoneController against another one on 127.0.0.1 (SIP 5614-5617, RTP 12500-12559), offscreen:
# a video call with its buttons (mute, camera off/on, hold, DTMF, hang-up); the settings file; an
# account at a fake registrar and its dial plan. Stored data (models_data_test.cpp, SIP 5620-5627,
# RTP 12600-12679): history, contacts and vCards, persisted messages, caller names.
add_executable(vphone_controller_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/models_controller_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/app/models_profile_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/app/models_data_test.cpp)
target_link_libraries(vphone_controller_tests PRIVATE vphone_models Qt6::Gui Qt6::Test GTest::gtest)
gtest_discover_tests(vphone_controller_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE)

# The hosted conference's model and call transfer (conference_model.h, CallItem::transfer) between
# three PhoneControllers on 127.0.0.1 (SIP 6230-6238, RTP 16820-16891 and 16960-16995), offscreen,
# audio only.
add_executable(vphone_conference_model_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/models_conference_test.cpp)
target_link_libraries(vphone_conference_model_tests PRIVATE vphone_models Qt6::Gui Qt6::Test GTest::gtest)
gtest_discover_tests(vphone_conference_model_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)

# The settings page's model (settings_controller.h): vphone.ini round trips, validation, the
# plain-words status from real registrations (SIP 5860-5863, RTP 13050-13089 on 127.0.0.1), the
# password fallback without a keychain, the XDG autostart entry.
add_executable(vphone_settings_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/models_settings_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/app/profile_forward_test.cpp)
target_link_libraries(vphone_settings_tests PRIVATE vphone_models Qt6::Gui Qt6::Test GTest::gtest)
gtest_discover_tests(vphone_settings_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120 RESOURCE_LOCK vphone_settings_ports)
# The STUN server setting (issue 7) through the settings model and the media engine, against a
# fake STUN server reporting a documentation address (SIP 5910-5911, STUN 3490-3494, RTP 13480-13499).
add_executable(vphone_stun_settings_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/models_stun_test.cpp)
target_link_libraries(vphone_stun_settings_tests PRIVATE vphone_models Qt6::Gui Qt6::Test GTest::gtest)
gtest_discover_tests(vphone_stun_settings_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 60 RESOURCE_LOCK coturn)
# The same model against Kamailio (digest auth): a wrong password in words, then Registered
# (SIP 5870-5871 on 127.0.0.1).
add_test(NAME settings_kamailio
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/app/settings_kamailio.sh $<TARGET_FILE:vphone_settings_tests>)
set_tests_properties(settings_kamailio PROPERTIES TIMEOUT 120 RESOURCE_LOCK vphone_settings_ports)
# The same model with a real system keychain: GNOME Keyring's Secret Service on a private D-Bus
# session bus (no network), through QtKeychain.
add_test(NAME settings_keychain
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/app/settings_keychain.sh $<TARGET_FILE:vphone_settings_tests>)
set_tests_properties(settings_keychain PROPERTIES TIMEOUT 120)
# TLS trust on first use through the settings model against Kamailio with self-signed
# certificates (issue 7; SIP 5920-5923, RTP 13500-13519 on 127.0.0.1): settings_tofu.sh runs the
# two phases of SettingsTofu.* around a Kamailio restart with a new certificate.
add_executable(vphone_tofu_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/models_tofu_test.cpp)
target_link_libraries(vphone_tofu_tests PRIVATE vphone_models Qt6::Gui Qt6::Test GTest::gtest)
add_test(NAME settings_tofu
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/app/settings_tofu.sh $<TARGET_FILE:vphone_tofu_tests>
    $<TARGET_FILE:vphone_tofu_views_tests> $<TARGET_FILE:vphone-cli>)
set_tests_properties(settings_tofu PROPERTIES TIMEOUT 240 RESOURCE_LOCK port_5920 ENVIRONMENT "${VPHONE_QT_LSAN}")
# Its last phase: the settings page's certificate dialog (CertificateDialog.qml), offscreen.
add_executable(vphone_tofu_views_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/app_tofu_views_test.cpp)
target_link_libraries(vphone_tofu_views_tests PRIVATE vphone_qml vphone_models Qt6::Quick Qt6::Test GTest::gtest)
