// xap.cc — the only C++ in shiryo: maps Xapian's C++ API onto the plain C API in shiryo/xap.h.
// It owns the opaque handles, argument checks and the exception -> status mapping; no policy
// (terms, prefixes, weighting and ordering choices all stay in C).
#include "shiryo/xap.h"
#include "shiryo/status.h"

#include <xapian.h>
#include <libdeflate.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

// ---- handles ----
// Each handle is a small struct around one Xapian object. Xapian objects are themselves
// reference-counted handles, so copies share the underlying database/query/document.

struct xap_db {
    Xapian::Database db;
    // Opened from shard paths or combined from parts: each shard alone too, in Xapian's order,
    // because Xapian 1.4 answers get_metadata() of a multi-database from its first shard only.
    // Empty when db is one database (local or remote).
    std::vector<Xapian::Database> shards;
    // Each shard's docids are interleaved: docid d of db lives in shard (d - 1) % shards.size()
    // (Xapian's multi-database numbering). Only true when shards matches db one to one.
    bool shard_map = false;
    // Inflates the per-document records (xap_db_get_doc_record), made on first use and kept.
    libdeflate_decompressor *inflater = nullptr;
    ~xap_db() { libdeflate_free_decompressor(inflater); }
};

struct xap_wdb {
    Xapian::WritableDatabase db;
    // Deflates the per-document records (xap_wdb_set_doc_record), made on first use and kept:
    // a compressor allocates several hundred KB, more work than a 1 KB record's compression.
    libdeflate_compressor *deflater = nullptr;
    ~xap_wdb() { libdeflate_free_compressor(deflater); }
};

struct xap_doc {
    Xapian::Document doc;
};

// Inflates records fetched packed (xap_db_get_doc_record_packed), one per thread.
struct xap_inflater {
    libdeflate_decompressor *d = nullptr;
    ~xap_inflater() { libdeflate_free_decompressor(d); }
};

struct xap_query {
    Xapian::Query q;
};

// Xapian::Enquire keeps its own reference to the database (sharing the xap_db's internals, so a
// xap_db_reopen is seen by the enquire too); the xap_db may therefore be destroyed first.
struct xap_enquire {
    Xapian::Enquire enq;
    explicit xap_enquire(const Xapian::Database &db) : enq(db) {}
};

// An MSet keeps a reference to what it needs to fetch documents, so it stays usable after its
// xap_enquire (and xap_db) are destroyed.
struct xap_mset {
    Xapian::MSet mset;
};

// Spy lifetime: the ValueCountMatchSpy is heap-allocated and release()d to Xapian's intrusive
// reference counting. The xap_spy holds one reference (opt_intrusive_ptr) and every Enquire it
// is added to holds another, so xap_spy_destroy and xap_enquire_destroy may come in either
// order: the spy object is deleted when its last holder lets go. Counts accumulate over every
// get_mset run by every enquire the spy is registered with.
struct xap_spy {
    Xapian::Internal::opt_intrusive_ptr<Xapian::ValueCountMatchSpy> spy;
};

// ---- errors ----

namespace {

// Xapian's limit on the length of a term in bytes (glass backend).
const size_t XAP_MAX_TERM = 245;

// Sets *errmsg (if errmsg is non-NULL) to a malloc'd one-line concatenation of parts (NULL
// parts are skipped), freeing any previous message as sh_fail does. Returns status. Never throws.
int set_msg(char **errmsg, int status, std::initializer_list<const char *> parts) noexcept
{
    if (!errmsg)
        return status;
    size_t len = 0;
    for (const char *p : parts)
        if (p)
            len += std::strlen(p);
    char *msg = static_cast<char *>(std::malloc(len + 1));
    std::free(*errmsg);
    *errmsg = msg;
    if (!msg)
        return status;
    size_t at = 0;
    for (const char *p : parts) {
        if (!p)
            continue;
        size_t n = std::strlen(p);
        std::memcpy(msg + at, p, n);
        at += n;
    }
    msg[at] = '\0';
    for (char *s = msg; *s; s++) // keep it one line
        if (*s == '\n' || *s == '\r')
            *s = ' ';
    return status;
}

int invalid(char **errmsg, const char *func, const char *what) noexcept
{
    return set_msg(errmsg, SH_ERR_INVALID, {func, ": ", what});
}

// "[path: ][note]Type: msg[ (strerror)]"; the path only when Xapian's message lacks it.
int xapian_msg(char **errmsg, int status, const Xapian::Error &e, const char *path,
               const char *note = nullptr) noexcept
{
    const char *msg = e.get_msg().c_str();
    const char *es = nullptr;
    try {
        es = e.get_error_string();
    } catch (...) {
        es = nullptr;
    }
    bool with_path = path && !std::strstr(msg, path);
    bool with_es = es && *es;
    return set_msg(errmsg, status,
                   {with_path ? path : nullptr, with_path ? ": " : nullptr, note, e.get_type(),
                    ": ", msg, with_es ? " (" : nullptr, with_es ? es : nullptr,
                    with_es ? ")" : nullptr});
}

bool path_exists(const char *path) noexcept
{
    struct stat st;
    return path && stat(path, &st) == 0;
}

bool path_missing(const char *path) noexcept
{
    struct stat st;
    return path && stat(path, &st) != 0 && errno == ENOENT;
}

// Is the database at path out of this user's reach (the directory or its stub cannot be read)?
// Xapian then says only "Couldn't detect type of database", which must not be reported as
// damage. The shards a stub lists are the caller's to name (xap_db_open_shards).
bool path_unreadable(const char *path) noexcept
{
    if (!path || path_missing(path))
        return false;
    struct stat st;
    bool is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (access(path, is_dir ? R_OK | X_OK : R_OK) != 0)
        return errno == EACCES || errno == EPERM;
    if (!is_dir)
        return false;
    std::string stub = std::string(path) + "/XAPIANDB";
    return access(stub.c_str(), F_OK) == 0 && access(stub.c_str(), R_OK) != 0;
}

// The status an operating-system error stands for, whatever Xapian class carried it: a full
// disk, a permission, an I/O error. 0 when es names none of them. Xapian keeps the errno
// private and exposes its strerror() text, so that is what is compared.
int errno_status(const char *es) noexcept
{
    if (!es || !*es)
        return 0;
    static const struct { int err, status; } table[] = {
        {ENOSPC, SH_ERR_NOSPACE}, {EDQUOT, SH_ERR_NOSPACE}, {EACCES, SH_ERR_PERM},
        {EPERM, SH_ERR_PERM},     {EROFS, SH_ERR_PERM},
        // SH_ERR_IO would read as "this one file could not be read" (skipped, run goes on): an
        // I/O error of the index is a failure of the run.
        {EIO, SH_ERR},
    };
    for (const auto &t : table)
        if (std::strcmp(es, std::strerror(t.err)) == 0)
            return t.status;
    return 0;
}

const char *error_string(const Xapian::Error &e) noexcept
{
    try {
        return e.get_error_string();
    } catch (...) {
        return nullptr;
    }
}

// The one exception mapper: call only from inside a catch block. Rethrows the current
// exception and turns it into a status and message. path (may be NULL) is the database path
// being opened, used to tell "nothing there" (NOTFOUND) from "something foreign" (CORRUPT);
// parts[0..nparts-1], the shards it is opened from, may be out of reach too (a permission).
int xap_fail(char **errmsg, const char *path = nullptr, const char *const *parts = nullptr,
             size_t nparts = 0) noexcept
{
    bool unreadable = path && path_unreadable(path);
    for (size_t i = 0; i < nparts && !unreadable; i++)
        unreadable = path_unreadable(parts[i]);
    try {
        throw;
    } catch (const Xapian::Error &e) {
        // The operating system's reason first: "No space left on device" inside a
        // DatabaseError is a full disk, not damage; EACCES is a permission, whatever the class.
        int st = errno_status(error_string(e));
        if (!st && path && (e.get_type() == std::string("DatabaseOpeningError") ||
                            e.get_type() == std::string("DatabaseNotFoundError")) &&
            unreadable)
            return set_msg(errmsg, SH_ERR_PERM, {path, ": permission denied (", e.get_type(),
                                                 ": ", e.get_msg().c_str(), ")"});
        if (st)
            return xapian_msg(errmsg, st, e, path);
    } catch (...) {
    }
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return xapian_msg(errmsg, SH_ERR_LOCKED, e, path);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        // Xapian also says "not found" for an existing directory it cannot recognise.
        if (path_exists(path))
            return xapian_msg(errmsg, SH_ERR_CORRUPT, e, path, "not a Xapian database: ");
        return xapian_msg(errmsg, SH_ERR_NOTFOUND, e, path);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xapian_msg(errmsg, SH_ERR_CORRUPT, e, path);
    } catch (const Xapian::DatabaseVersionError &e) {
        return xapian_msg(errmsg, SH_ERR_CORRUPT, e, path);
    } catch (const Xapian::DatabaseOpeningError &e) {
        if (path_missing(path))
            return xapian_msg(errmsg, SH_ERR_NOTFOUND, e, path);
        return xapian_msg(errmsg, SH_ERR_CORRUPT, e, path, "not a Xapian database: ");
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xapian_msg(errmsg, SH_ERR_MODIFIED, e, path);
    } catch (const Xapian::DocNotFoundError &e) {
        return xapian_msg(errmsg, SH_ERR_NOTFOUND, e, path);
    } catch (const Xapian::InvalidArgumentError &e) {
        return xapian_msg(errmsg, SH_ERR_INVALID, e, path);
    } catch (const Xapian::InvalidOperationError &e) {
        return xapian_msg(errmsg, SH_ERR_INVALID, e, path);
    } catch (const Xapian::NetworkError &e) { // NetworkTimeoutError too
        return xapian_msg(errmsg, SH_ERR_NETWORK, e, path);
    } catch (const Xapian::DatabaseError &e) {
        // With no system error behind it ("EOF reading block 0", a bad checksum), a
        // DatabaseError means the files are damaged.
        return xapian_msg(errmsg, SH_ERR_CORRUPT, e, path);
    } catch (const Xapian::Error &e) {
        return xapian_msg(errmsg, SH_ERR, e, path);
    } catch (const std::bad_alloc &) {
        return set_msg(errmsg, SH_ERR_NOMEM, {"out of memory"});
    } catch (const std::exception &e) {
        return set_msg(errmsg, SH_ERR, {e.what()});
    } catch (...) {
        return set_msg(errmsg, SH_ERR, {"unknown C++ exception"});
    }
}

// NULL with a non-zero length is the only invalid string; NULL/0 is the empty string.
bool bad_str(const char *s, size_t len) noexcept
{
    return !s && len > 0;
}

std::string str(const char *s, size_t len)
{
    return len ? std::string(s, len) : std::string();
}

// Checks a term argument: non-NULL, non-empty, at most XAP_MAX_TERM bytes.
int check_term(char **errmsg, const char *func, const char *term, size_t len) noexcept
{
    if (!term || len == 0)
        return invalid(errmsg, func, "NULL or empty term");
    if (len > XAP_MAX_TERM)
        return invalid(errmsg, func, "term longer than 245 bytes");
    return SH_OK;
}

// Copies s into a malloc'd NUL-terminated buffer, setting *out/*out_len on success.
int dup_out(char **errmsg, const std::string &s, char **out, size_t *out_len) noexcept
{
    char *buf = static_cast<char *>(std::malloc(s.size() + 1));
    if (!buf)
        return set_msg(errmsg, SH_ERR_NOMEM, {"out of memory"});
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    *out = buf;
    if (out_len)
        *out_len = s.size();
    return SH_OK;
}

// Calls fn for each term of db with prefix p; true when fn asked to stop.
bool walk_terms(const Xapian::Database &db, const std::string &p, xap_term_fn fn, void *ctx)
{
    for (Xapian::TermIterator t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
        std::string term = *t;
        if (fn(ctx, term.data(), term.size(), t.get_termfreq()))
            return true;
    }
    return false;
}

int allterms(const Xapian::Database &db, const char *prefix, size_t prefix_len, xap_term_fn fn,
             void *ctx)
{
    walk_terms(db, str(prefix, prefix_len), fn, ctx);
    return SH_OK;
}

int get_metadata(const Xapian::Database &db, const char *key, size_t key_len, char **value,
                 size_t *value_len, char **errmsg)
{
    std::string v = db.get_metadata(str(key, key_len));
    return dup_out(errmsg, v, value, value_len);
}

// ---- per-document records (helpers) ----
// Key of docid's record in the shard that holds it: prefix + the shard-local docid, 4 bytes
// big-endian, so a shard's records sort (and are appended) in docid order.
std::string doc_record_key(const char *prefix, xap_docid local)
{
    std::string key(prefix);
    for (int shift = 24; shift >= 0; shift -= 8)
        key += static_cast<char>((local >> shift) & 0xff);
    return key;
}

// Raw DEFLATE (no zlib header or checksum: Glass stores document data the same way), level 6,
// with libdeflate rather than zlib: the same format (records written by zlib builds inflate
// unchanged) at twice zlib's speed both ways on these records (0.5 KB of Japanese text each:
// 200 against 99 MB/s inflating, which is half the CPU of an --all --count that proves its
// candidates), and 0.4 % larger.
bool deflate_record(libdeflate_compressor **cp, const char *value, size_t len, std::string &out)
{
    if (!*cp && !(*cp = libdeflate_alloc_compressor(6)))
        throw std::bad_alloc();
    out.resize(libdeflate_deflate_compress_bound(*cp, len));
    size_t n = libdeflate_deflate_compress(*cp, value, len, &out[0], out.size());
    out.resize(n);
    return n > 0;
}

// Inflates packed into out. The plain size is not stored: the buffer starts at four times the
// packed size (these records shrink by under half) and doubles while it is too small, up to
// DEFLATE's own limit of 1,032 : 1, past which the record is damaged.
bool inflate_record(libdeflate_decompressor **dp, const char *packed, size_t packed_len,
                    std::string &out)
{
    if (!*dp && !(*dp = libdeflate_alloc_decompressor()))
        throw std::bad_alloc();
    size_t cap = packed_len * 4 + 64, limit = packed_len * 1032 + 64;
    for (;;) {
        out.resize(cap);
        size_t used = 0, n = 0;
        libdeflate_result r = libdeflate_deflate_decompress_ex(*dp, packed, packed_len, &out[0],
                                                               cap, &used, &n);
        if (r == LIBDEFLATE_SUCCESS) {
            out.resize(n);
            return used == packed_len; /* nothing after the stream's end */
        }
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE || cap >= limit)
            return false;
        cap = cap * 2 < limit ? cap * 2 : limit;
    }
}

// ---- fault injection (test builds only: -DSHIRYO_FAULT_INJECTION=ON) ----
// SHIRYO_FAULT=KIND:N[:ERR][,KIND:N[:ERR]...] makes the Nth call of KIND in this process throw
// the Xapian error a real failure would: KIND is open (opening a database), write (adding,
// replacing or deleting a document, setting metadata), commit (a commit or transaction
// commit) or compact; ERR is ENOSPC (the default), EIO or EACCES. Counting is per process
// (workers inherit their parent's counts at fork). This is the one piece of global state in
// the shim, and it exists only in test builds so that every error path can be walked.
enum fault_kind { FAULT_OPEN, FAULT_WRITE, FAULT_COMMIT, FAULT_COMPACT, FAULT_KINDS };

#ifdef SHIRYO_FAULT_INJECTION
unsigned long fault_calls[FAULT_KINDS];

void fault_point(fault_kind kind)
{
    static const char *const names[FAULT_KINDS] = {"open", "write", "commit", "compact"};
    unsigned long call = ++fault_calls[kind];
    const char *plan = std::getenv("SHIRYO_FAULT");
    size_t name_len = std::strlen(names[kind]);
    for (const char *p = plan; p && *p;) {
        const char *end = std::strchr(p, ',');
        std::string item(p, end ? static_cast<size_t>(end - p) : std::strlen(p));
        p = end ? end + 1 : nullptr;
        if (item.compare(0, name_len, names[kind]) != 0 || item.size() <= name_len ||
            item[name_len] != ':')
            continue;
        char *rest = nullptr;
        unsigned long n = std::strtoul(item.c_str() + name_len + 1, &rest, 10);
        if (n != call)
            continue;
        int err = ENOSPC;
        if (rest && std::strcmp(rest, ":EIO") == 0)
            err = EIO;
        else if (rest && std::strcmp(rest, ":EACCES") == 0)
            err = EACCES;
        std::string what = "injected fault (SHIRYO_FAULT=" + item + ")";
        if (kind == FAULT_OPEN)
            throw Xapian::DatabaseOpeningError(what, std::string(), err);
        throw Xapian::DatabaseError(what, std::string(), err);
    }
}
#else
inline void fault_point(fault_kind) {}
#endif

} // namespace

extern "C" {

// ---- writable database ----

int xap_wdb_open(const char *path, int mode, xap_wdb **out, char **errmsg)
{
    try {
        if (!path || !*path || !out)
            return invalid(errmsg, "xap_wdb_open", "NULL or empty argument");
        int flags = (mode & XAP_OPEN_NO_TERMLIST) ? Xapian::DB_NO_TERMLIST : 0;
        // An existing database keeps the layout it was made with (unless overwritten): Xapian
        // refuses to open one without a termlist table for writing unless told, and one with a
        // table opened as without would stop updating it.
        std::string dir(path);
        if (path_exists((dir + "/iamglass").c_str()) &&
            (mode & ~XAP_OPEN_NO_TERMLIST) != XAP_OPEN_CREATE_OR_OVERWRITE)
            flags = path_exists((dir + "/termlist.glass").c_str()) ? 0 : Xapian::DB_NO_TERMLIST;
        int action;
        switch (mode & ~XAP_OPEN_NO_TERMLIST) {
        case XAP_OPEN_CREATE_OR_OPEN: action = Xapian::DB_CREATE_OR_OPEN; break;
        case XAP_OPEN_CREATE_OR_OVERWRITE: action = Xapian::DB_CREATE_OR_OVERWRITE; break;
        case XAP_OPEN_EXISTING: action = Xapian::DB_OPEN; break;
        default: return invalid(errmsg, "xap_wdb_open", "unknown open mode");
        }
        fault_point(FAULT_OPEN);
        xap_wdb *w = new xap_wdb{Xapian::WritableDatabase(path, action | flags | Xapian::DB_BACKEND_GLASS)};
        *out = w;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg, path);
    }
}

void xap_wdb_destroy(xap_wdb *wdb)
{
    if (!wdb)
        return;
    try {
        // Cancels an open transaction, otherwise commits pending changes; releases the lock.
        wdb->db.close();
    } catch (...) {
    }
    try {
        delete wdb;
    } catch (...) {
    }
}

int xap_wdb_doccount(xap_wdb *wdb, unsigned long long *out, char **errmsg)
{
    try {
        if (!wdb || !out)
            return invalid(errmsg, "xap_wdb_doccount", "NULL argument");
        *out = wdb->db.get_doccount();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_commit(xap_wdb *wdb, char **errmsg)
{
    try {
        if (!wdb)
            return invalid(errmsg, "xap_wdb_commit", "NULL database");
        fault_point(FAULT_COMMIT);
        wdb->db.commit();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_begin_transaction(xap_wdb *wdb, int flushed, char **errmsg)
{
    try {
        if (!wdb)
            return invalid(errmsg, "xap_wdb_begin_transaction", "NULL database");
        wdb->db.begin_transaction(flushed != 0);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_commit_transaction(xap_wdb *wdb, char **errmsg)
{
    try {
        if (!wdb)
            return invalid(errmsg, "xap_wdb_commit_transaction", "NULL database");
        fault_point(FAULT_COMMIT);
        wdb->db.commit_transaction();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_cancel_transaction(xap_wdb *wdb, char **errmsg)
{
    try {
        if (!wdb)
            return invalid(errmsg, "xap_wdb_cancel_transaction", "NULL database");
        wdb->db.cancel_transaction();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_add_document(xap_wdb *wdb, const xap_doc *doc, xap_docid *docid_out, char **errmsg)
{
    try {
        if (!wdb || !doc)
            return invalid(errmsg, "xap_wdb_add_document", "NULL argument");
        fault_point(FAULT_WRITE);
        Xapian::docid id = wdb->db.add_document(doc->doc);
        if (docid_out)
            *docid_out = id;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_replace_document_by_term(xap_wdb *wdb, const char *term, size_t term_len,
                                     const xap_doc *doc, xap_docid *docid_out, char **errmsg)
{
    try {
        if (!wdb || !doc)
            return invalid(errmsg, "xap_wdb_replace_document_by_term", "NULL argument");
        int st = check_term(errmsg, "xap_wdb_replace_document_by_term", term, term_len);
        if (st != SH_OK)
            return st;
        fault_point(FAULT_WRITE);
        Xapian::docid id = wdb->db.replace_document(std::string(term, term_len), doc->doc);
        if (docid_out)
            *docid_out = id;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_delete_documents_by_term(xap_wdb *wdb, const char *term, size_t term_len,
                                     char **errmsg)
{
    try {
        if (!wdb)
            return invalid(errmsg, "xap_wdb_delete_documents_by_term", "NULL database");
        int st = check_term(errmsg, "xap_wdb_delete_documents_by_term", term, term_len);
        if (st != SH_OK)
            return st;
        fault_point(FAULT_WRITE);
        wdb->db.delete_document(std::string(term, term_len));
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_set_metadata(xap_wdb *wdb, const char *key, size_t key_len, const char *value,
                         size_t value_len, char **errmsg)
{
    try {
        if (!wdb || !key || key_len == 0 || bad_str(value, value_len))
            return invalid(errmsg, "xap_wdb_set_metadata", "NULL argument or empty key");
        fault_point(FAULT_WRITE);
        wdb->db.set_metadata(std::string(key, key_len), str(value, value_len));
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_get_metadata(xap_wdb *wdb, const char *key, size_t key_len, char **value,
                         size_t *value_len, char **errmsg)
{
    try {
        if (!wdb || !key || key_len == 0 || !value || !value_len)
            return invalid(errmsg, "xap_wdb_get_metadata", "NULL argument or empty key");
        return get_metadata(wdb->db, key, key_len, value, value_len, errmsg);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_allterms(xap_wdb *wdb, const char *prefix, size_t prefix_len, xap_term_fn fn,
                     void *ctx, char **errmsg)
{
    try {
        if (!wdb || !fn || bad_str(prefix, prefix_len))
            return invalid(errmsg, "xap_wdb_allterms", "NULL argument");
        return allterms(wdb->db, prefix, prefix_len, fn, ctx);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_wdb_metadata_keys(xap_wdb *wdb, const char *prefix, size_t prefix_len, xap_key_fn fn,
                          void *ctx, char **errmsg)
{
    try {
        if (!wdb || !fn || bad_str(prefix, prefix_len))
            return invalid(errmsg, "xap_wdb_metadata_keys", "NULL argument");
        std::string p = str(prefix, prefix_len);
        for (Xapian::TermIterator k = wdb->db.metadata_keys_begin(p);
             k != wdb->db.metadata_keys_end(p); ++k) {
            std::string key = *k;
            if (fn(ctx, key.data(), key.size()))
                break;
        }
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

// ---- per-document records ----

int xap_wdb_set_doc_record(xap_wdb *wdb, const char *prefix, xap_docid docid, const char *value,
                           size_t len, char **errmsg)
{
    try {
        if (!wdb || !prefix || !*prefix || bad_str(value, len))
            return invalid(errmsg, "xap_wdb_set_doc_record", "NULL argument or empty prefix");
        if (docid == 0)
            return invalid(errmsg, "xap_wdb_set_doc_record", "docid 0 is invalid");
        std::string packed;
        if (len && !deflate_record(&wdb->deflater, value, len, packed))
            return set_msg(errmsg, SH_ERR_NOMEM, {"out of memory compressing a record"});
        fault_point(FAULT_WRITE);
        wdb->db.set_metadata(doc_record_key(prefix, docid), packed);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

// docid's stored (deflated) record into packed ("" when absent), or a status.
static int record_lookup(xap_db *db, const char *prefix, xap_docid docid, std::string &packed,
                         char **errmsg)
{
    if (db->shards.empty() && db->db.size() > 1) // a stub Xapian read: shards unknown
        return set_msg(errmsg, SH_ERR_INVALID,
                       {"xap_db_get_doc_record: open several shards with xap_db_open_shards"});
    if (db->shards.empty()) {
        packed = db->db.get_metadata(doc_record_key(prefix, docid));
        return SH_OK;
    }
    if (!db->shard_map)
        return set_msg(errmsg, SH_ERR_CORRUPT, {"the shards of this database cannot be told apart"});
    size_t n = db->shards.size();
    packed = db->shards[(docid - 1) % n].get_metadata(
        doc_record_key(prefix, static_cast<xap_docid>((docid - 1) / n + 1)));
    return SH_OK;
}

int xap_db_get_doc_record(xap_db *db, const char *prefix, xap_docid docid, char **value,
                          size_t *len, char **errmsg)
{
    try {
        if (!db || !prefix || !*prefix || !value || !len)
            return invalid(errmsg, "xap_db_get_doc_record", "NULL argument or empty prefix");
        if (docid == 0)
            return invalid(errmsg, "xap_db_get_doc_record", "docid 0 is invalid");
        std::string packed, plain;
        int rc = record_lookup(db, prefix, docid, packed, errmsg);
        if (rc)
            return rc;
        if (!packed.empty() && !inflate_record(&db->inflater, packed.data(), packed.size(), plain))
            return set_msg(errmsg, SH_ERR_CORRUPT, {"a stored record does not decompress"});
        return dup_out(errmsg, plain, value, len);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_get_doc_record_packed(xap_db *db, const char *prefix, xap_docid docid, char **packed,
                                 size_t *len, char **errmsg)
{
    try {
        if (!db || !prefix || !*prefix || !packed || !len)
            return invalid(errmsg, "xap_db_get_doc_record_packed",
                           "NULL argument or empty prefix");
        if (docid == 0)
            return invalid(errmsg, "xap_db_get_doc_record_packed", "docid 0 is invalid");
        std::string stored;
        int rc = record_lookup(db, prefix, docid, stored, errmsg);
        return rc ? rc : dup_out(errmsg, stored, packed, len);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

// ---- record inflater ----

int xap_inflater_new(xap_inflater **out, char **errmsg)
{
    try {
        if (!out)
            return invalid(errmsg, "xap_inflater_new", "NULL argument");
        *out = new xap_inflater{};
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

void xap_inflater_destroy(xap_inflater *inf) { delete inf; }

int xap_inflater_run(xap_inflater *inf, const char *packed, size_t len, char **plain,
                     size_t *plain_len, char **errmsg)
{
    try {
        if (!inf || (!packed && len) || !plain || !plain_len)
            return invalid(errmsg, "xap_inflater_run", "NULL argument");
        std::string out;
        if (len && !inflate_record(&inf->d, packed, len, out))
            return set_msg(errmsg, SH_ERR_CORRUPT, {"a stored record does not decompress"});
        return dup_out(errmsg, out, plain, plain_len);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

// ---- read-only database ----

int xap_db_open(const char *path, xap_db **out, char **errmsg)
{
    try {
        if (!path || !*path || !out)
            return invalid(errmsg, "xap_db_open", "NULL or empty argument");
        fault_point(FAULT_OPEN);
        *out = new xap_db{Xapian::Database(path), {}, false};
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg, path);
    }
}

int xap_db_open_shards(const char *dir, const char *const *shards, size_t n, xap_db **out,
                       char **errmsg)
{
    try {
        if (!dir || !*dir || !shards || !n || !out)
            return invalid(errmsg, "xap_db_open_shards", "NULL or empty argument");
        for (size_t i = 0; i < n; i++)
            if (!shards[i] || !*shards[i])
                return invalid(errmsg, "xap_db_open_shards", "NULL or empty shard path");
        fault_point(FAULT_OPEN);
        std::unique_ptr<xap_db> d(new xap_db{Xapian::Database(), {}, true});
        for (size_t i = 0; i < n; i++) {
            d->shards.emplace_back(shards[i]);
            d->db.add_database(d->shards.back());
        }
        *out = d.release();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg, dir, shards, n);
    }
}

int xap_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                       unsigned connect_timeout_ms, xap_db **out, char **errmsg)
{
    try {
        if (!host || !*host || !out)
            return invalid(errmsg, "xap_db_open_remote", "NULL or empty argument");
        if (port == 0 || port > 65535)
            return invalid(errmsg, "xap_db_open_remote", "port must be 1-65535");
        // Remote::open connects and reads the server's greeting (doccount, lengths) here, so a
        // server that is down, refuses or does not answer fails now, not in the first query.
        *out = new xap_db{Xapian::Remote::open(host, port, timeout_ms, connect_timeout_ms), {},
                          false};
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_combine(xap_db *const *parts, size_t n, xap_db **out, char **errmsg)
{
    try {
        if (!parts || !n || !out)
            return invalid(errmsg, "xap_db_combine", "NULL argument or no parts");
        for (size_t i = 0; i < n; i++)
            if (!parts[i])
                return invalid(errmsg, "xap_db_combine", "NULL part");
        xap_db *d = new xap_db{Xapian::Database(), {}, true};
        try {
            for (size_t i = 0; i < n; i++) {
                d->db.add_database(parts[i]->db);
                // add_database appends every shard of the part, in the part's own order.
                if (parts[i]->shards.empty())
                    d->shards.push_back(parts[i]->db);
                else
                    d->shards.insert(d->shards.end(), parts[i]->shards.begin(),
                                     parts[i]->shards.end());
                d->shard_map = d->shard_map && (parts[i]->shards.empty() || parts[i]->shard_map);
            }
            d->shard_map = d->shard_map && d->shards.size() == d->db.size();
        } catch (...) {
            delete d;
            throw;
        }
        *out = d;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

unsigned xap_db_shard_count(const xap_db *db)
{
    try {
        return db ? static_cast<unsigned>(db->db.size()) : 0;
    } catch (...) {
        return 0;
    }
}

int xap_db_get_doc_metadata(xap_db *db, xap_docid docid, const char *key, size_t key_len,
                            char **value, size_t *value_len, char **errmsg)
{
    try {
        if (!db || !key || key_len == 0 || !value || !value_len)
            return invalid(errmsg, "xap_db_get_doc_metadata", "NULL argument or empty key");
        if (docid == 0)
            return invalid(errmsg, "xap_db_get_doc_metadata", "docid 0 is invalid");
        if (db->shards.empty())
            return get_metadata(db->db, key, key_len, value, value_len, errmsg);
        if (!db->shard_map)
            return xap_db_get_metadata(db, key, key_len, value, value_len, errmsg);
        return get_metadata(db->shards[(docid - 1) % db->shards.size()], key, key_len, value,
                            value_len, errmsg);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

void xap_db_destroy(xap_db *db)
{
    if (!db)
        return;
    try {
        delete db;
    } catch (...) {
    }
}

int xap_db_shard_get_metadata(xap_db *db, unsigned k, const char *key, size_t key_len,
                              char **value, size_t *value_len, char **errmsg)
{
    try {
        if (!db || !key || key_len == 0 || !value || !value_len)
            return invalid(errmsg, "xap_db_shard_get_metadata", "NULL argument or empty key");
        if (db->shards.empty() && k == 0)
            return get_metadata(db->db, key, key_len, value, value_len, errmsg);
        if (!db->shard_map || k >= db->shards.size())
            return invalid(errmsg, "xap_db_shard_get_metadata", "no such shard");
        return get_metadata(db->shards[k], key, key_len, value, value_len, errmsg);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_compact(xap_db *db, const char *dest, char **errmsg)
{
    try {
        if (!db || !dest || !*dest)
            return invalid(errmsg, "xap_db_compact", "NULL or empty argument");
        fault_point(FAULT_COMPACT);
        db->db.compact(std::string(dest));
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

#if defined(__SANITIZE_ADDRESS__)
// libxapian 1.4's Database::check deletes one of its tables through a pointer of another size
// (inside the library: allocated and freed there), which AddressSanitizer reports as a
// new-delete-type-mismatch. That check only is switched off, for the sanitizer builds; every
// other AddressSanitizer check stays on, and ASAN_OPTIONS can still override it.
extern "C" const char *__asan_default_options(void);
extern "C" const char *__asan_default_options(void)
{
    return "new_delete_type_mismatch=0";
}
#endif

int xap_db_check(const char *path, size_t *errors, char **report, char **errmsg)
{
    try {
        if (!path || !*path || !errors)
            return invalid(errmsg, "xap_db_check", "NULL or empty argument");
        std::ostringstream out;
        *errors = Xapian::Database::check(std::string(path), 0, report ? &out : nullptr);
        if (report)
            return dup_out(errmsg, out.str(), report, nullptr);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg, path);
    }
}

int xap_db_reopen(xap_db *db, int *changed, char **errmsg)
{
    try {
        if (!db)
            return invalid(errmsg, "xap_db_reopen", "NULL database");
        if (!db->shards.empty()) {
            // get_revision() needs a single database: compare each shard's revision.
            bool moved = false;
            for (Xapian::Database &shard : db->shards) {
                Xapian::rev before = shard.get_revision();
                shard.reopen();
                moved = moved || shard.get_revision() != before;
            }
            db->db.reopen();
            if (changed)
                *changed = moved;
            return SH_OK;
        }
        Xapian::rev before = db->db.get_revision();
        db->db.reopen();
        Xapian::rev after = db->db.get_revision();
        if (changed)
            *changed = before != after;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_doccount(xap_db *db, unsigned *out, char **errmsg)
{
    try {
        if (!db || !out)
            return invalid(errmsg, "xap_db_doccount", "NULL argument");
        *out = db->db.get_doccount();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_collection_freq(xap_db *db, const char *term, size_t term_len, unsigned long long *out,
                           char **errmsg)
{
    try {
        if (!db || !out)
            return invalid(errmsg, "xap_db_collection_freq", "NULL argument");
        int st = check_term(errmsg, "xap_db_collection_freq", term, term_len);
        if (st != SH_OK)
            return st;
        *out = db->db.get_collection_freq(std::string(term, term_len));
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_termfreq(xap_db *db, const char *term, size_t term_len, unsigned *out, char **errmsg)
{
    try {
        if (!db || !out)
            return invalid(errmsg, "xap_db_termfreq", "NULL argument");
        int st = check_term(errmsg, "xap_db_termfreq", term, term_len);
        if (st != SH_OK)
            return st;
        *out = db->db.get_termfreq(std::string(term, term_len));
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_get_metadata(xap_db *db, const char *key, size_t key_len, char **value,
                        size_t *value_len, char **errmsg)
{
    try {
        if (!db || !key || key_len == 0 || !value || !value_len)
            return invalid(errmsg, "xap_db_get_metadata", "NULL argument or empty key");
        if (db->shards.empty())
            return get_metadata(db->db, key, key_len, value, value_len, errmsg);
        // Sharded: the first shard that has the key answers.
        for (size_t i = 0; i < db->shards.size(); i++) {
            int st = get_metadata(db->shards[i], key, key_len, value, value_len, errmsg);
            if (st != SH_OK || *value_len > 0 || i + 1 == db->shards.size())
                return st;
            std::free(*value);
            *value = nullptr;
        }
        return get_metadata(db->db, key, key_len, value, value_len, errmsg);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_allterms(xap_db *db, const char *prefix, size_t prefix_len, xap_term_fn fn, void *ctx,
                    char **errmsg)
{
    try {
        if (!db || !fn || bad_str(prefix, prefix_len))
            return invalid(errmsg, "xap_db_allterms", "NULL argument");
        return allterms(db->db, prefix, prefix_len, fn, ctx);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_allterms_each_shard(xap_db *db, const char *prefix, size_t prefix_len, xap_term_fn fn,
                               void *ctx, char **errmsg)
{
    try {
        if (!db || !fn || bad_str(prefix, prefix_len))
            return invalid(errmsg, "xap_db_allterms_each_shard", "NULL argument");
        if (db->shards.empty())
            return allterms(db->db, prefix, prefix_len, fn, ctx);
        std::string p = str(prefix, prefix_len);
        for (const Xapian::Database &shard : db->shards)
            if (walk_terms(shard, p, fn, ctx))
                break;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_get_document(xap_db *db, xap_docid docid, xap_doc **out, char **errmsg)
{
    try {
        if (!db || !out)
            return invalid(errmsg, "xap_db_get_document", "NULL argument");
        if (docid == 0)
            return invalid(errmsg, "xap_db_get_document", "docid 0 is invalid");
        xap_doc *d = new xap_doc{db->db.get_document(docid)};
        *out = d;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_postlist(xap_db *db, const char *term, size_t term_len, xap_posting_fn fn, void *ctx,
                    char **errmsg)
{
    try {
        if (!db || !fn)
            return invalid(errmsg, "xap_db_postlist", "NULL argument");
        int st = check_term(errmsg, "xap_db_postlist", term, term_len);
        if (st != SH_OK)
            return st;
        std::string t(term, term_len);
        for (Xapian::PostingIterator p = db->db.postlist_begin(t); p != db->db.postlist_end(t);
             ++p) {
            if (fn(ctx, *p))
                break;
        }
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_sum_wdf(xap_db *db, const char *term, size_t term_len, const xap_docid *docids,
                   size_t n, unsigned long long *sum, char **errmsg)
{
    try {
        if (!db || !sum || (n && !docids))
            return invalid(errmsg, "xap_db_sum_wdf", "NULL argument");
        int st = check_term(errmsg, "xap_db_sum_wdf", term, term_len);
        if (st != SH_OK)
            return st;
        std::string t(term, term_len);
        unsigned long long total = 0;
        Xapian::PostingIterator p = db->db.postlist_begin(t), end = db->db.postlist_end(t);
        for (size_t i = 0; i < n && p != end; i++) {
            if (i > 0 && docids[i] <= docids[i - 1])
                return invalid(errmsg, "xap_db_sum_wdf", "docids not strictly ascending");
            p.skip_to(docids[i]);
            if (p != end && *p == docids[i])
                total += p.get_wdf();
        }
        *sum = total;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_wdfs(xap_db *db, const char *term, size_t term_len, const xap_docid *docids, size_t n,
                unsigned *wdfs, char **errmsg)
{
    try {
        if (!db || (n && (!docids || !wdfs)))
            return invalid(errmsg, "xap_db_wdfs", "NULL argument");
        int st = check_term(errmsg, "xap_db_wdfs", term, term_len);
        if (st != SH_OK)
            return st;
        std::string t(term, term_len);
        Xapian::PostingIterator p = db->db.postlist_begin(t), end = db->db.postlist_end(t);
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && docids[i] <= docids[i - 1])
                return invalid(errmsg, "xap_db_wdfs", "docids not strictly ascending");
            wdfs[i] = 0;
            if (p == end)
                continue;
            p.skip_to(docids[i]);
            if (p != end && *p == docids[i])
                wdfs[i] = p.get_wdf();
        }
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_db_positions(xap_db *db, xap_docid docid, const char *term, size_t term_len,
                     unsigned **positions, size_t *n, char **errmsg)
{
    try {
        if (!db || !positions || !n)
            return invalid(errmsg, "xap_db_positions", "NULL argument");
        if (docid == 0)
            return invalid(errmsg, "xap_db_positions", "docid 0");
        int st = check_term(errmsg, "xap_db_positions", term, term_len);
        if (st != SH_OK)
            return st;
        std::string t(term, term_len);
        std::vector<unsigned> v;
        for (Xapian::PositionIterator p = db->db.positionlist_begin(docid, t);
             p != db->db.positionlist_end(docid, t); ++p)
            v.push_back(*p);
        unsigned *out = static_cast<unsigned *>(malloc((v.size() ? v.size() : 1) * sizeof *out));
        if (!out)
            throw std::bad_alloc();
        std::copy(v.begin(), v.end(), out);
        *positions = out;
        *n = v.size();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

// ---- documents ----

int xap_doc_new(xap_doc **out, char **errmsg)
{
    try {
        if (!out)
            return invalid(errmsg, "xap_doc_new", "NULL argument");
        *out = new xap_doc();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

void xap_doc_destroy(xap_doc *doc)
{
    if (!doc)
        return;
    try {
        delete doc;
    } catch (...) {
    }
}

int xap_doc_clear(xap_doc *doc, char **errmsg)
{
    try {
        if (!doc)
            return invalid(errmsg, "xap_doc_clear", "NULL document");
        // A fresh Document drops terms, values and data (and any link to a database).
        doc->doc = Xapian::Document();
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_doc_add_term(xap_doc *doc, const char *term, size_t len, unsigned wdf_inc, char **errmsg)
{
    try {
        if (!doc)
            return invalid(errmsg, "xap_doc_add_term", "NULL document");
        int st = check_term(errmsg, "xap_doc_add_term", term, len);
        if (st != SH_OK)
            return st;
        doc->doc.add_term(std::string(term, len), wdf_inc);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_doc_add_posting(xap_doc *doc, const char *term, size_t len, unsigned pos,
                        unsigned wdf_inc, char **errmsg)
{
    try {
        if (!doc)
            return invalid(errmsg, "xap_doc_add_posting", "NULL document");
        int st = check_term(errmsg, "xap_doc_add_posting", term, len);
        if (st != SH_OK)
            return st;
        if (pos == 0)
            return invalid(errmsg, "xap_doc_add_posting", "positions start at 1");
        doc->doc.add_posting(std::string(term, len), pos, wdf_inc);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_doc_add_boolean_term(xap_doc *doc, const char *term, size_t len, char **errmsg)
{
    try {
        if (!doc)
            return invalid(errmsg, "xap_doc_add_boolean_term", "NULL document");
        int st = check_term(errmsg, "xap_doc_add_boolean_term", term, len);
        if (st != SH_OK)
            return st;
        doc->doc.add_boolean_term(std::string(term, len));
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_doc_set_data(xap_doc *doc, const char *data, size_t len, char **errmsg)
{
    try {
        if (!doc || bad_str(data, len))
            return invalid(errmsg, "xap_doc_set_data", "NULL argument");
        doc->doc.set_data(str(data, len));
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_doc_get_data(const xap_doc *doc, char **data, size_t *len, char **errmsg)
{
    try {
        if (!doc || !data || !len)
            return invalid(errmsg, "xap_doc_get_data", "NULL argument");
        return dup_out(errmsg, doc->doc.get_data(), data, len);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_doc_add_value(xap_doc *doc, unsigned slot, const char *value, size_t len, char **errmsg)
{
    try {
        if (!doc || bad_str(value, len))
            return invalid(errmsg, "xap_doc_add_value", "NULL argument");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(errmsg, "xap_doc_add_value", "bad value slot");
        doc->doc.add_value(slot, str(value, len)); // an empty value removes the slot
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_doc_get_value(const xap_doc *doc, unsigned slot, char **value, size_t *len,
                      char **errmsg)
{
    try {
        if (!doc || !value || !len)
            return invalid(errmsg, "xap_doc_get_value", "NULL argument");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(errmsg, "xap_doc_get_value", "bad value slot");
        return dup_out(errmsg, doc->doc.get_value(slot), value, len);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

// ---- queries ----

static int new_query(Xapian::Query q, xap_query **out)
{
    *out = new xap_query{std::move(q)};
    return SH_OK;
}

int xap_query_term(const char *term, size_t len, unsigned wqf, xap_query **out, char **errmsg)
{
    try {
        if (!out)
            return invalid(errmsg, "xap_query_term", "NULL argument");
        int st = check_term(errmsg, "xap_query_term", term, len);
        if (st != SH_OK)
            return st;
        return new_query(Xapian::Query(std::string(term, len), wqf), out);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_query_prefix(const char *prefix, size_t len, xap_query **out, char **errmsg)
{
    try {
        if (!out)
            return invalid(errmsg, "xap_query_prefix", "NULL argument");
        int st = check_term(errmsg, "xap_query_prefix", prefix, len);
        if (st != SH_OK)
            return st;
        // Expanded by the matcher against the database it runs on (local or remote), no limit.
        return new_query(Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix, len), 0,
                                       Xapian::Query::WILDCARD_LIMIT_ERROR,
                                       Xapian::Query::OP_SYNONYM),
                         out);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_query_combine(int op, xap_query *const *subs, size_t n, unsigned window, xap_query **out,
                      char **errmsg)
{
    try {
        if (!subs || !out)
            return invalid(errmsg, "xap_query_combine", "NULL argument");
        if (n == 0)
            return invalid(errmsg, "xap_query_combine", "no subqueries");
        Xapian::Query::op xop;
        bool positional = false;
        switch (op) {
        case XAP_OP_AND: xop = Xapian::Query::OP_AND; break;
        case XAP_OP_OR: xop = Xapian::Query::OP_OR; break;
        case XAP_OP_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case XAP_OP_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
        case XAP_OP_FILTER: xop = Xapian::Query::OP_FILTER; break;
        case XAP_OP_PHRASE: xop = Xapian::Query::OP_PHRASE; positional = true; break;
        case XAP_OP_NEAR: xop = Xapian::Query::OP_NEAR; positional = true; break;
        case XAP_OP_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
        case XAP_OP_MAX: xop = Xapian::Query::OP_MAX; break;
        default: return invalid(errmsg, "xap_query_combine", "unknown operator");
        }
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) {
            if (!subs[i])
                return invalid(errmsg, "xap_query_combine", "NULL subquery");
            v.push_back(subs[i]->q);
        }
        Xapian::termcount param = 0;
        if (positional)
            param = window ? window : static_cast<Xapian::termcount>(n);
        return new_query(Xapian::Query(xop, v.begin(), v.end(), param), out);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_query_scale(const xap_query *q, double factor, xap_query **out, char **errmsg)
{
    try {
        if (!q || !out)
            return invalid(errmsg, "xap_query_scale", "NULL argument");
        if (!(factor >= 0)) // also rejects NaN
            return invalid(errmsg, "xap_query_scale", "factor must be >= 0");
        return new_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor), out);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_query_match_all(xap_query **out, char **errmsg)
{
    try {
        if (!out)
            return invalid(errmsg, "xap_query_match_all", "NULL argument");
        return new_query(Xapian::Query::MatchAll, out);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_query_match_nothing(xap_query **out, char **errmsg)
{
    try {
        if (!out)
            return invalid(errmsg, "xap_query_match_nothing", "NULL argument");
        return new_query(Xapian::Query::MatchNothing, out);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_query_value_range(unsigned slot, const char *lo, size_t lo_len, const char *hi,
                          size_t hi_len, xap_query **out, char **errmsg)
{
    try {
        if (!out || bad_str(lo, lo_len) || bad_str(hi, hi_len))
            return invalid(errmsg, "xap_query_value_range", "NULL argument");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(errmsg, "xap_query_value_range", "bad value slot");
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, str(lo, lo_len),
                                       str(hi, hi_len)),
                         out);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_query_describe(const xap_query *q, char **out, char **errmsg)
{
    try {
        if (!q || !out)
            return invalid(errmsg, "xap_query_describe", "NULL argument");
        return dup_out(errmsg, q->q.get_description(), out, nullptr);
    } catch (...) {
        return xap_fail(errmsg);
    }
}

void xap_query_destroy(xap_query *q)
{
    if (!q)
        return;
    try {
        delete q;
    } catch (...) {
    }
}

// ---- enquire / mset ----

int xap_enquire_new(xap_db *db, xap_enquire **out, char **errmsg)
{
    try {
        if (!db || !out)
            return invalid(errmsg, "xap_enquire_new", "NULL argument");
        *out = new xap_enquire(db->db);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

void xap_enquire_destroy(xap_enquire *enq)
{
    if (!enq)
        return;
    try {
        enq->enq.clear_matchspies(); // drops the enquire's references to spies
    } catch (...) {
    }
    try {
        delete enq;
    } catch (...) {
    }
}

int xap_enquire_set_query(xap_enquire *enq, const xap_query *q, char **errmsg)
{
    try {
        if (!enq || !q)
            return invalid(errmsg, "xap_enquire_set_query", "NULL argument");
        enq->enq.set_query(q->q);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_enquire_set_bm25(xap_enquire *enq, double k1, double k2, double k3, double b,
                         double min_normlen, char **errmsg)
{
    try {
        if (!enq)
            return invalid(errmsg, "xap_enquire_set_bm25", "NULL enquire");
        // Xapian silently clamps out-of-range parameters; reject them instead (NaN too).
        if (!(k1 >= 0 && k2 >= 0 && k3 >= 0 && b >= 0 && b <= 1 && min_normlen >= 0))
            return invalid(errmsg, "xap_enquire_set_bm25",
                           "parameters must be >= 0 (and b <= 1)");
        enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_enquire_set_boolean(xap_enquire *enq, char **errmsg)
{
    try {
        if (!enq)
            return invalid(errmsg, "xap_enquire_set_boolean", "NULL enquire");
        enq->enq.set_weighting_scheme(Xapian::BoolWeight());
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

// Ordering: results are always sorted by relevance, with docid order breaking ties.
// RELEVANCE breaks ties by ascending docid. DOCID_ASC/DOCID_DESC only set the docid order: they
// give pure document order when every weight is equal, i.e. after xap_enquire_set_boolean
// (BoolWeight), which is the caller's job (Xapian documents BoolWeight + ASCENDING as the
// efficient way to get matches in document order). Under BM25 they only break ties.
int xap_enquire_set_order(xap_enquire *enq, int order, char **errmsg)
{
    try {
        if (!enq)
            return invalid(errmsg, "xap_enquire_set_order", "NULL enquire");
        Xapian::Enquire::docid_order d;
        switch (order) {
        case XAP_ORDER_RELEVANCE: d = Xapian::Enquire::ASCENDING; break;
        case XAP_ORDER_DOCID_ASC: d = Xapian::Enquire::ASCENDING; break;
        case XAP_ORDER_DOCID_DESC: d = Xapian::Enquire::DESCENDING; break;
        default: return invalid(errmsg, "xap_enquire_set_order", "unknown order");
        }
        enq->enq.set_sort_by_relevance();
        enq->enq.set_docid_order(d);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_enquire_set_sort_by_value(xap_enquire *enq, unsigned slot, int reverse, char **errmsg)
{
    try {
        if (!enq)
            return invalid(errmsg, "xap_enquire_set_sort_by_value", "NULL enquire");
        enq->enq.set_sort_by_value(slot, reverse != 0);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_enquire_set_sort_by_relevance_then_value(xap_enquire *enq, unsigned slot, int reverse,
                                                 char **errmsg)
{
    try {
        if (!enq)
            return invalid(errmsg, "xap_enquire_set_sort_by_relevance_then_value", "NULL enquire");
        enq->enq.set_sort_by_relevance_then_value(slot, reverse != 0);
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_enquire_add_spy(xap_enquire *enq, xap_spy *spy, char **errmsg)
{
    try {
        if (!enq || !spy)
            return invalid(errmsg, "xap_enquire_add_spy", "NULL argument");
        // The spy was release()d, so the enquire takes its own counted reference.
        enq->enq.add_matchspy(spy->spy.get());
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_enquire_get_mset(xap_enquire *enq, unsigned first, unsigned maxitems,
                         unsigned checkatleast, xap_mset **out, char **errmsg)
{
    try {
        if (!enq || !out)
            return invalid(errmsg, "xap_enquire_get_mset", "NULL argument");
        xap_mset *m = new xap_mset{enq->enq.get_mset(first, maxitems, checkatleast)};
        *out = m;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

void xap_mset_destroy(xap_mset *mset)
{
    if (!mset)
        return;
    try {
        delete mset;
    } catch (...) {
    }
}

unsigned xap_mset_size(const xap_mset *mset)
{
    try {
        return mset ? mset->mset.size() : 0;
    } catch (...) {
        return 0;
    }
}

unsigned xap_mset_matches_estimated(const xap_mset *mset)
{
    try {
        return mset ? mset->mset.get_matches_estimated() : 0;
    } catch (...) {
        return 0;
    }
}

unsigned xap_mset_matches_lower(const xap_mset *mset)
{
    try {
        return mset ? mset->mset.get_matches_lower_bound() : 0;
    } catch (...) {
        return 0;
    }
}

unsigned xap_mset_matches_upper(const xap_mset *mset)
{
    try {
        return mset ? mset->mset.get_matches_upper_bound() : 0;
    } catch (...) {
        return 0;
    }
}

int xap_mset_item(const xap_mset *mset, unsigned i, xap_docid *docid, double *weight,
                  char **errmsg)
{
    try {
        if (!mset)
            return invalid(errmsg, "xap_mset_item", "NULL mset");
        if (i >= mset->mset.size())
            return invalid(errmsg, "xap_mset_item", "item index out of range");
        Xapian::MSetIterator it = mset->mset[i];
        Xapian::docid id = *it;
        double w = it.get_weight();
        if (docid)
            *docid = id;
        if (weight)
            *weight = w;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

int xap_mset_document(const xap_mset *mset, unsigned i, xap_doc **out, char **errmsg)
{
    try {
        if (!mset || !out)
            return invalid(errmsg, "xap_mset_document", "NULL argument");
        if (i >= mset->mset.size())
            return invalid(errmsg, "xap_mset_document", "item index out of range");
        xap_doc *d = new xap_doc{mset->mset[i].get_document()};
        *out = d;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

// ---- facets ----

int xap_spy_new(unsigned slot, xap_spy **out, char **errmsg)
{
    try {
        if (!out)
            return invalid(errmsg, "xap_spy_new", "NULL argument");
        if (slot == Xapian::BAD_VALUENO)
            return invalid(errmsg, "xap_spy_new", "bad value slot");
        Xapian::ValueCountMatchSpy *raw = new Xapian::ValueCountMatchSpy(slot);
        raw->release(); // from here on it is reference-counted: the holders below delete it
        xap_spy *s;
        try {
            s = new xap_spy{Xapian::Internal::opt_intrusive_ptr<Xapian::ValueCountMatchSpy>(raw)};
        } catch (...) {
            delete raw; // no holder took a reference yet
            throw;
        }
        *out = s;
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

void xap_spy_destroy(xap_spy *spy)
{
    if (!spy)
        return;
    try {
        delete spy; // drops our reference; an enquire still holding one keeps it alive
    } catch (...) {
    }
}

int xap_spy_values(const xap_spy *spy, xap_facet_fn fn, void *ctx, char **errmsg)
{
    try {
        if (!spy || !fn)
            return invalid(errmsg, "xap_spy_values", "NULL argument");
        const Xapian::ValueCountMatchSpy &s = *spy->spy.get();
        size_t distinct = 0;
        for (Xapian::TermIterator t = s.values_begin(); t != s.values_end(); ++t)
            distinct++;
        for (Xapian::TermIterator t = s.top_values_begin(distinct);
             t != s.top_values_end(distinct); ++t) {
            std::string v = *t;
            if (fn(ctx, v.data(), v.size(), t.get_termfreq()))
                break;
        }
        return SH_OK;
    } catch (...) {
        return xap_fail(errmsg);
    }
}

unsigned xap_spy_total(const xap_spy *spy)
{
    try {
        return spy ? static_cast<unsigned>(spy->spy.get()->get_total()) : 0;
    } catch (...) {
        return 0;
    }
}

const char *xap_version(void)
{
    try {
        return Xapian::version_string();
    } catch (...) {
        return "";
    }
}

} // extern "C"
