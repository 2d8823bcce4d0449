/* naputil.h: the one public header of libnaputil, a portable
 * re-implementation of the NAP utility memory helpers (NapUtil.h,
 * qutil.dll).  Everything a caller or an alternative implementation needs:
 * types, structures, the connection interface, the CoTaskMem* seam and the
 * NapUtil functions.  Behaviour: see README.md, "The contract". */
#ifndef NAPUTIL_H
#define NAPUTIL_H

#include "naputil/types.h"
#include "naputil/structs.h"
#include "naputil/connection.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The allocator seam.  All memory that crosses the API is COM task memory.
 * libnaputil ships a default over the C allocator in a translation unit of
 * its own; a program may link its own definitions in its place. */
NAPAPI void *CoTaskMemAlloc(SIZE_T cb);
NAPAPI void *CoTaskMemRealloc(void *pv, SIZE_T cb);
NAPAPI void CoTaskMemFree(void *pv);

NAPAPI HRESULT WINAPI AllocConnections(Connections **connections, UINT16 connectionsCount);
NAPAPI void WINAPI FreeConnections(Connections *connections);

NAPAPI HRESULT WINAPI AllocFixupInfo(FixupInfo **fixupInfo, UINT16 countResultCodes);
NAPAPI void WINAPI FreeFixupInfo(FixupInfo *fixupInfo);

NAPAPI HRESULT WINAPI AllocCountedString(CountedString **countedString, const WCHAR *string);
NAPAPI void WINAPI FreeCountedString(CountedString *countedString);

NAPAPI void WINAPI FreeIsolationInfo(IsolationInfo *isolationInfo);
NAPAPI void WINAPI FreeIsolationInfoEx(IsolationInfoEx *isolationInfo);
NAPAPI void WINAPI FreeSoH(SoH *soh);
NAPAPI void WINAPI FreeNetworkSoH(NetworkSoH *networkSoh);
NAPAPI void WINAPI FreePrivateData(PrivateData *privateData);
NAPAPI void WINAPI FreeSystemHealthAgentState(SystemHealthAgentState *systemHealthAgentState);
NAPAPI void WINAPI FreeSoHAttributeValue(SoHAttributeType type, SoHAttributeValue *value);
NAPAPI void WINAPI FreeNapComponentRegistrationInfoArray(UINT16 count,
                                                         NapComponentRegistrationInfo **info);

#ifdef __cplusplus
}
#endif

#endif
