# core/contacts (issue 7): the vCard reader/writer (QtCore only) and the SQLite store.
add_executable(vphone_contacts_vcard_tests
  ${CMAKE_CURRENT_LIST_DIR}/contacts_vcard_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/contacts_vcard_export_test.cpp
)
target_link_libraries(vphone_contacts_vcard_tests PRIVATE vphone_vcard GTest::gtest_main)
target_compile_definitions(vphone_contacts_vcard_tests PRIVATE VPHONE_TEST_DATA="${CMAKE_CURRENT_LIST_DIR}/../data")
gtest_discover_tests(vphone_contacts_vcard_tests DISCOVERY_TIMEOUT 60)

# The crash-safety test kills this writer with SIGKILL in the middle of its transactions.
add_executable(vphone_contacts_crash_writer ${CMAKE_CURRENT_LIST_DIR}/contacts_crash_writer.cpp)
target_link_libraries(vphone_contacts_crash_writer PRIVATE vphone_contacts)

add_executable(vphone_contacts_tests
  ${CMAKE_CURRENT_LIST_DIR}/contacts_test_main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/contacts_db_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/contacts_search_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/contacts_history_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/contacts_crash_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/contacts_test_util.h
)
target_link_libraries(vphone_contacts_tests PRIVATE vphone_contacts GTest::gtest)
target_compile_definitions(vphone_contacts_tests PRIVATE
  VPHONE_TEST_DATA="${CMAKE_CURRENT_LIST_DIR}/../data"
  VPHONE_CONTACTS_CRASH_WRITER="$<TARGET_FILE:vphone_contacts_crash_writer>")
add_dependencies(vphone_contacts_tests vphone_contacts_crash_writer)
gtest_discover_tests(vphone_contacts_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
