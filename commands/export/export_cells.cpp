// Binary COPY rows of an export decoded into typed cells.
#include "commands/export/export_cells.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "core/copy_binary.hpp"
#include "core/copy_out.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

constexpr std::array<std::int64_t, 19> powers_of_ten = {1,
                                                        10,
                                                        100,
                                                        1000,
                                                        10000,
                                                        100000,
                                                        1000000,
                                                        10000000,
                                                        100000000,
                                                        1000000000,
                                                        10000000000,
                                                        100000000000,
                                                        1000000000000,
                                                        10000000000000,
                                                        100000000000000,
                                                        1000000000000000,
                                                        10000000000000000,
                                                        100000000000000000,
                                                        1000000000000000000};

/// scaled is AMOUNT minor units of EXPONENT at DECIMALS decimals, rounded half away from zero.
std::int64_t scaled(std::int64_t amount, int exponent, int decimals) {
  if (exponent <= decimals) return amount;
  auto unit = powers_of_ten[static_cast<std::size_t>(exponent - decimals)];
  auto half = unit / 2;
  return (amount >= 0 ? amount + half : amount - half) / unit;
}

}  // namespace

std::string binary_select(const std::vector<ExportColumn>& columns) {
  std::string out;
  for (const auto& c : columns) {
    std::string value = "(" + c.sql + ")";
    out += out.empty() ? "" : ", ";
    switch (c.kind) {
      case ExportKind::uuid:
        out += value + "::uuid";
        break;
      case ExportKind::integer:
        out += value + "::int8";
        break;
      case ExportKind::money:
        out += value + "::int8, (" + c.exponent + ")::int8";
        break;
      case ExportKind::time:
        out += value + "::timestamptz";
        break;
      case ExportKind::date:
        out += value + "::date";
        break;
      case ExportKind::boolean:
        out += value + "::bool";
        break;
      case ExportKind::code:
      case ExportKind::text:
      case ExportKind::json:
        out += value + "::text";
        break;
    }
  }
  return out;
}

std::int64_t copy_cells(pqxx::dbtransaction& tx, const std::string& copy, const std::vector<ExportColumn>& columns,
                        CellSink& sink, const std::function<bool()>& row_done) {
  std::size_t fields = 0;
  for (const auto& c : columns) fields += c.kind == ExportKind::money ? 2 : 1;
  CopyBinaryRows reader(fields);
  std::int64_t rows = 0;
  bool more = true;
  auto each_row = [&](const std::vector<CopyField>& row) {
    std::size_t f = 0;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto& field = row[f++];
      const auto& column = columns[c];
      if (column.kind == ExportKind::money) ++f;
      if (field.null()) {
        sink.null(c);
        continue;
      }
      switch (column.kind) {
        case ExportKind::uuid:
          if (field.size != 16) throw Error(ErrorCategory::unexpected, "column " + column.name + " is not a uuid");
          sink.uuid(c, field.text());
          break;
        case ExportKind::integer:
          sink.integer(c, copy_int64(field));
          break;
        case ExportKind::money: {
          auto exponent = row[f - 1].null() ? -1 : copy_int64(row[f - 1]);
          if (exponent < 0 || exponent > 18)
            throw Error(ErrorCategory::unexpected, "column " + column.name + " has no currency exponent");
          int decimals = std::min(static_cast<int>(exponent), column.max_decimals);
          sink.money(c, scaled(copy_int64(field), static_cast<int>(exponent), decimals), decimals);
          break;
        }
        case ExportKind::time: {
          auto us = copy_int64(field);
          if (us == std::numeric_limits<std::int64_t>::max() || us == std::numeric_limits<std::int64_t>::min())
            sink.infinite(c, us > 0);
          else
            sink.time(c, us);
          break;
        }
        case ExportKind::date: {
          auto days = copy_int32(field);
          if (days == std::numeric_limits<std::int32_t>::max() || days == std::numeric_limits<std::int32_t>::min())
            sink.infinite(c, days > 0);
          else
            sink.date(c, days);
          break;
        }
        case ExportKind::boolean:
          sink.boolean(c, field.size == 1 && field.data[0] != 0);
          break;
        case ExportKind::code:
        case ExportKind::text:
        case ExportKind::json:
          sink.text(c, field.text());
          break;
      }
    }
    sink.end_row();
    ++rows;
    more = row_done();
  };
  copy_out(tx, copy, [&](std::string_view data) {
    reader.feed(data, each_row);
    return more;
  });
  if (more && !reader.finished())
    throw TemporaryError("the export ended before the database sent its last row", "run it again");
  return rows;
}

}  // namespace wfa
