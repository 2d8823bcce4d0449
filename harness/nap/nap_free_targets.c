/* The table of NapUtil Free functions (see nap_free_targets.h). */
#include "nap_free_targets.h"

#include <string.h>

/* Most Free functions take one pointer to their structure: one adapter each,
 * written by this macro, gives them the table's uniform signature without
 * calling through a cast function pointer (undefined behaviour in C). */
#define ROOT_ONLY(adapter, function, ctype)                      \
    static bool adapter(void *root, size_t count, long tag)     \
    {                                                            \
        (void)count, (void)tag;                                  \
        function((ctype *)root);                                 \
        return true;                                             \
    }

ROOT_ONLY(call_connections, FreeConnections, Connections)
ROOT_ONLY(call_fixup_info, FreeFixupInfo, FixupInfo)
ROOT_ONLY(call_counted_string, FreeCountedString, CountedString)
ROOT_ONLY(call_isolation_info, FreeIsolationInfo, IsolationInfo)
ROOT_ONLY(call_isolation_info_ex, FreeIsolationInfoEx, IsolationInfoEx)
ROOT_ONLY(call_soh, FreeSoH, SoH)
ROOT_ONLY(call_network_soh, FreeNetworkSoH, NetworkSoH)
ROOT_ONLY(call_private_data, FreePrivateData, PrivateData)
ROOT_ONLY(call_sha_state, FreeSystemHealthAgentState, SystemHealthAgentState)

static bool call_soh_attribute_value(void *root, size_t count, long tag)
{
    (void)count;
    FreeSoHAttributeValue((SoHAttributeType)tag, root);
    return true;
}

/* Takes the caller's variable: the contract forbids writing to it. */
static bool call_registration_array(void *root, size_t count, long tag)
{
    (void)tag;
    NapComponentRegistrationInfo *info = root;
    FreeNapComponentRegistrationInfoArray((UINT16)count, &info);
    return info == root;
}

const nap_free_target nap_free_targets[] = {
    {"FreeConnections", &nap_type_Connections, false, false, call_connections},
    {"FreeFixupInfo", &nap_type_FixupInfo, false, false, call_fixup_info},
    {"FreeCountedString", &nap_type_CountedString, false, false, call_counted_string},
    {"FreeIsolationInfo", &nap_type_IsolationInfo, false, false, call_isolation_info},
    {"FreeIsolationInfoEx", &nap_type_IsolationInfoEx, false, false, call_isolation_info_ex},
    {"FreeSoH", &nap_type_SoH, false, false, call_soh},
    {"FreeNetworkSoH", &nap_type_NetworkSoH, false, false, call_network_soh},
    {"FreePrivateData", &nap_type_PrivateData, false, false, call_private_data},
    {"FreeSystemHealthAgentState", &nap_type_SystemHealthAgentState, false, false,
     call_sha_state},
    {"FreeSoHAttributeValue", &nap_type_SoHAttributeValue, false, true,
     call_soh_attribute_value},
    {"FreeNapComponentRegistrationInfoArray", &nap_type_NapComponentRegistrationInfo, true,
     false, call_registration_array},
};

const size_t nap_free_target_count = sizeof nap_free_targets / sizeof nap_free_targets[0];

const nap_free_target *nap_free_target_find(const char *function)
{
    for (size_t i = 0; i < nap_free_target_count; i++)
        if (strcmp(nap_free_targets[i].function, function) == 0)
            return &nap_free_targets[i];
    return NULL;
}

const long nap_soh_attribute_type_probes[] = {0,  1,  2,  3,  4,  5,  6,  7,  8,   9,    10, 11,
                                              12, 13, 14, 15, 16, 17, 18, 19, 20, 255, 65535};
const size_t nap_soh_attribute_type_probe_count =
    sizeof nap_soh_attribute_type_probes / sizeof nap_soh_attribute_type_probes[0];
