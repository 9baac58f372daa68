#include "pipelines/recipient_mapping.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"

namespace wfa {

namespace {

/// Header aliases recognised without --map, after normalize_header: English, French, German, Spanish and Arabic, as
/// the spreadsheets of the Gulf's sales teams and their suppliers name the columns.
const std::vector<std::vector<std::string_view>> aliases = {
    {"phone", "phone_number", "phonenumber", "phone_no", "mobile", "mobile_number", "mobile_no", "mobile_phone",
     "msisdn", "cell", "cellphone", "cell_phone", "tel", "tel_no", "telephone", "whatsapp", "whatsapp_number",
     "whatsapp_no", "contact_number", "number",
     // French, German, Spanish
     "téléphone", "telephone_portable", "téléphone_portable", "portable", "numéro", "numéro_de_téléphone", "mobil",
     "mobilnummer", "handy", "handynummer", "telefon", "telefonnummer", "rufnummer", "teléfono", "telefono", "móvil",
     "movil", "celular", "número", "número_de_teléfono",
     // Arabic: mobile number, mobile, phone number, phone
     "رقم_الجوال", "الجوال", "جوال", "رقم_الهاتف", "الهاتف", "هاتف", "رقم_الموبايل", "موبايل"},
    {"first_name", "firstname", "first", "given_name", "fname", "forename", "prénom", "prenom", "vorname", "nombre",
     "الاسم_الأول"},
    {"last_name", "lastname", "last", "surname", "family_name", "lname", "nom_de_famille", "nachname", "familienname",
     "apellido", "apellidos", "اسم_العائلة", "العائلة"},
    {"name", "full_name", "fullname", "contact_name", "contact", "nom", "nom_complet", "name_vollständig",
     "vollständiger_name", "nombre_completo", "الاسم", "الاسم_الكامل", "اسم"},
    {"email", "e_mail", "email_address", "e_mail_address", "mail", "courriel", "adresse_e_mail", "e_mail_adresse",
     "correo", "correo_electrónico", "correo_electronico", "البريد_الإلكتروني", "البريد", "الايميل"},
    {"company", "company_name", "organisation", "organization", "business", "employer", "account", "société", "societe",
     "entreprise", "firma", "unternehmen", "empresa", "الشركة", "اسم_الشركة"},
    {"timezone", "time_zone", "tz", "fuseau_horaire", "zeitzone", "zona_horaria", "المنطقة_الزمنية"},
};

std::string trim_copy(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

/// find_header is the column whose header is NAME exactly, else ignoring case and punctuation.
std::optional<std::size_t> find_header(const std::vector<std::string_view>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (trim_copy(header[i]) == name) return i;
  auto wanted = normalize_header(name);
  for (std::size_t i = 0; i < header.size(); ++i)
    if (normalize_header(header[i]) == wanted) return i;
  return std::nullopt;
}

std::string column_list(const std::vector<std::string_view>& header) {
  std::string out;
  for (auto h : header) out += (out.empty() ? "" : ", ") + trim_copy(h);
  return out;
}

/// variable_key is the JSON key of a column: its normalised header without a var_/variable_ prefix.
std::string variable_key(std::string_view header, std::size_t index) {
  auto key = normalize_header(header);
  for (std::string_view prefix : {"variable_", "var_"})
    if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0) key.erase(0, prefix.size());
  if (key.empty()) key = "column_" + std::to_string(index + 1);
  return key;
}

}  // namespace

const std::vector<std::string_view>& recipient_field_names() {
  static const std::vector<std::string_view> names = {"phone", "first_name", "last_name", "full_name",
                                                      "email", "company",    "timezone"};
  return names;
}

ColumnMapping map_columns(const std::vector<std::string_view>& header, const MappingRequest& request) {
  const auto& file = request.file;
  ColumnMapping m;
  m.columns = header.size();
  std::map<std::string, std::size_t> seen;
  for (std::size_t j = 0; j < header.size(); ++j)
    if (auto key = normalize_header(header[j]); !key.empty())
      if (auto [at, fresh] = seen.emplace(key, j); !fresh)
        throw InvalidInputError(file + ":1: column '" + trim_copy(header[j]) + "' appears twice (columns " +
                                    std::to_string(at->second + 1) + " and " + std::to_string(j + 1) + ")",
                                "rename or remove one of them");
  std::vector<bool> used(header.size(), false);
  for (const auto& name : request.skip) {
    auto col = find_header(header, name);
    if (!col)
      throw InvalidInputError(request.skip_option + " " + name + ": no column '" + name + "' in " + file,
                              "columns: " + column_list(header));
    used[*col] = true;
  }
  const auto& names = recipient_field_names();
  for (const auto& entry : request.map) {
    auto eq = entry.find('=');
    auto field = entry.substr(0, eq);
    auto it = std::find(names.begin(), names.end(), field);
    if (eq == std::string::npos || it == names.end()) {
      std::string all;
      for (auto n : names) all += (all.empty() ? "" : ", ") + std::string(n);
      throw InvalidInputError(request.map_option + " " + entry + ": expected FIELD=Header with FIELD one of " + all,
                              "e.g. --map phone=Mobile");
    }
    auto col = find_header(header, entry.substr(eq + 1));
    if (!col)
      throw InvalidInputError(
          request.map_option + " " + entry + ": no column '" + entry.substr(eq + 1) + "' in " + file,
          "columns: " + column_list(header));
    m.field_column[it - names.begin()] = *col;
    used[*col] = true;
  }
  for (std::size_t f = 0; f < recipient_field_count; ++f) {
    if (m.field_column[f]) continue;
    for (std::size_t i = 0; i < header.size() && !m.field_column[f]; ++i) {
      if (used[i]) continue;
      auto h = normalize_header(header[i]);
      if (std::find(aliases[f].begin(), aliases[f].end(), h) != aliases[f].end()) {
        m.field_column[f] = i;
        used[i] = true;
      }
    }
  }
  if (!m.field_column[static_cast<std::size_t>(RecipientField::phone)])
    throw InvalidInputError(file + " has no phone column (columns: " + column_list(header) + ")",
                            "name it with --map phone=HEADER");
  std::size_t unmapped = static_cast<std::size_t>(std::count(used.begin(), used.end(), false));
  if (unmapped > max_variables)
    throw InvalidInputError(
        file + ":1: " + std::to_string(unmapped) + " columns would become variables, more than " +
            std::to_string(max_variables),
        "keep at most " + std::to_string(max_variables) + " extra columns, or leave some out with --skip");
  std::set<std::string> keys;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (used[i]) continue;
    auto key = variable_key(header[i], i);
    for (int n = 2; keys.count(key); ++n) key = variable_key(header[i], i) + "_" + std::to_string(n);
    keys.insert(key);
    m.variables.emplace_back(i, key);
  }
  return m;
}

}  // namespace wfa
