/* Portable stand-ins for the Windows scalar types, result codes and NAP
 * limits that NapUtil.h's callers rely on.  Included by naputil.h. */
#ifndef NAPUTIL_TYPES_H
#define NAPUTIL_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Calling-convention macros are meaningless off Windows; NAPAPI carries the
 * export visibility so that the shared library exports only the API. */
#ifndef WINAPI
#define WINAPI
#endif
#ifndef STDMETHODCALLTYPE
#define STDMETHODCALLTYPE
#endif
#ifndef NAPAPI
#if defined(__GNUC__) || defined(__clang__)
#define NAPAPI __attribute__((visibility("default")))
#else
#define NAPAPI
#endif
#endif

typedef uint8_t UINT8;
typedef uint16_t UINT16;
typedef uint32_t UINT32;
typedef uint8_t BYTE;
/* A UTF-16 code unit, as on Windows; wchar_t is 32 bits on Linux. */
typedef uint16_t WCHAR;
typedef int32_t HRESULT;
typedef int32_t BOOL;
typedef uint32_t ULONG;
typedef uint32_t DWORD;
typedef size_t SIZE_T;

typedef struct _GUID {
    UINT32 Data1;
    UINT16 Data2;
    UINT16 Data3;
    UINT8 Data4[8];
} GUID;
typedef GUID CLSID;
typedef GUID IID;
typedef const IID *REFIID;

typedef struct _FILETIME {
    UINT32 dwLowDateTime;
    UINT32 dwHighDateTime;
} FILETIME;

#define S_OK ((HRESULT)0)
#define E_INVALIDARG ((HRESULT)0x80070057)
#define E_OUTOFMEMORY ((HRESULT)0x8007000E)
#define E_NOINTERFACE ((HRESULT)0x80004002)
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr) (((HRESULT)(hr)) < 0)

/* NAP limits (NapTypes.h).  Plain int constants so that callers compare them
 * with UINT16 counts without unsigned/size_t promotion surprises. */
#define maxSoHAttributeCount 100
#define maxSoHAttributeSize 4000
#define minNetworkSoHSize 12
#define maxNetworkSoHSize 4000
#define maxDwordCountPerSoHAttribute 1000
#define maxIpv4CountPerSoHAttribute 1000
#define maxIpv6CountPerSoHAttribute 250
#define maxStringLength 1024
#define maxStringLengthInBytes 2050
#define maxSystemHealthEntityCount 20
#define maxEnforcerCount 20
#define maxPrivateDataSize 200
#define maxConnectionCountPerEnforcer 20
#define maxCachedSoHCount 100
#define freshSoHRequest 0x1
#define shaFixup 0x1
#define failureCategoryCount 5
#define ComponentTypeEnforcementClientSoH 0x1
#define ComponentTypeEnforcementClientRp 0x2
#define percentageNotSupported 101

#ifdef __cplusplus
}
#endif

#endif
