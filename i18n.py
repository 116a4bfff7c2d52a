"""The interface's words in English and French, and the language a URL asks for (`lang=fr`).

Data labels (themes, categories, layers, regions, countries, record names) come in both
languages from the data files themselves; this module holds the words of the interface.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}

TEXT: dict[str, tuple[str, str]] = {  # key: (English, French)
    "page title": ("France's security and defence cooperation",
                   "La coopération de sécurité et de défense de la France"),
    "language": ("Language", "Langue"),
    "filters": ("Filters", "Filtres"),
    "region": ("Region", "Région"),
    "country": ("Country", "Pays"),
    "country placeholder": ("Type a country to open its card", "Saisir un pays pour l'afficher"),
    "themes": ("Themes", "Thèmes"),
    "categories": ("Categories (all when empty)", "Catégories (toutes si vide)"),
    "all categories": ("All categories", "Toutes les catégories"),
    "layers": ("Layers", "Couches"),
    "actor": ("French actor", "Acteur français"),
    "all actors": ("All actors", "Tous les acteurs"),
    "years": ("In force in (years; the full range shows every record)",
              "En vigueur en (années ; la période entière montre tous les éléments)"),
    "empty": ("No record matches these filters. Widen the region or tick more themes, "
              "categories or layers.",
              "Aucun élément ne correspond à ces filtres. Élargissez la région ou cochez "
              "d'autres thèmes, catégories ou couches."),
    "map": ("Map of the records in view", "Carte des éléments affichés"),
    "search": ("Search", "Rechercher"),
    "search placeholder": ("Search the records in view", "Rechercher parmi les éléments affichés"),
    "download csv": ("Download CSV", "Télécharger en CSV"),
    "download geojson": ("Download GeoJSON", "Télécharger en GeoJSON"),
    "sources": ("Sources", "Sources"),
    "count": ("{count} of {total} records shown", "{count} éléments affichés sur {total}"),
    "count one": ("{count} of {total} records shown", "{count} élément affiché sur {total}"),
    "history": ("Changes to this record ({count})", "Modifications de cet élément ({count})"),
    "no change": ("No change yet: the data as shipped.",
                  "Aucune modification : les données telles que livrées."),
    "latest changes": ("Latest changes", "Dernières modifications"),
    "edit": ("Edit this record", "Modifier cet élément"),
    "new record": ("New record", "Nouvel élément"),
    "edit record": ("Edit: {name}", "Modifier : {name}"),
    "edit hint": ("Change the fields, then give the source of the change: a document of the "
                  "library, its section and its words, found word for word, and why. The same "
                  "rules as check-data apply; nothing is saved if one is broken.",
                  "Modifiez les champs, puis donnez la source de la modification : un document "
                  "de la bibliothèque, sa section et ses mots, trouvés mot pour mot, et la "
                  "raison. Les règles de check-data s’appliquent ; rien n’est enregistré si "
                  "l’une n’est pas respectée."),
    "library": ("Source library ({count} documents)",
                "Bibliothèque des sources ({count} documents)"),
    "library added": ("added by {who} on {day}", "ajouté par {who} le {day}"),
    "add document": ("Add a document", "Ajouter un document"),
    "document hint": ("A PDF, Word (DOCX), HTML or text file, at most {size}. Its text is read "
                      "on this machine and kept with its SHA-256; changes then quote it word "
                      "for word.",
                      "Un fichier PDF, Word (DOCX), HTML ou texte, de {size} au plus. Son texte "
                      "est lu sur cette machine et conservé avec son empreinte SHA-256 ; les "
                      "modifications le citent ensuite mot pour mot."),
    "document file": ("Drop the file here or click to choose it",
                      "Déposez le fichier ici ou cliquez pour le choisir"),
    "document chosen": ("File: {name}", "Fichier : {name}"),
    "document title": ("Title", "Titre"),
    "document publisher": ("Publisher", "Éditeur"),
    "document date": ("Date (2026, 2026-03 or 2026-03-01)", "Date (2026, 2026-03 ou 2026-03-01)"),
    "document language": ("Language", "Langue"),
    "document url": ("Where it comes from (web address, optional)",
                     "Provenance (adresse web, facultative)"),
    "save document": ("Add to the library", "Ajouter à la bibliothèque"),
    "document saved": ("Document added to the library: {id}.",
                       "Document ajouté à la bibliothèque : {id}."),
    "document no file": ("Choose a file first.", "Choisissez d’abord un fichier."),
    "place": ("Place", "Lieu"),
    "place hint": ("Type a city, or coordinates as latitude, longitude (-18.91, 47.54), or "
                   "click the map: the point, its city and its host country fill the fields.",
                   "Tapez une ville, ou des coordonnées en latitude, longitude (-18.91, 47.54), "
                   "ou cliquez sur la carte : le point, sa ville et son pays hôte remplissent "
                   "les champs."),
    "place find": ("Find", "Chercher"),
    "place none": ("No city of that name (GeoNames, 15,000 people or more), and not "
                   "coordinates.",
                   "Aucune ville de ce nom (GeoNames, 15 000 habitants ou plus), ni des "
                   "coordonnées."),
    "place set": ("Place set: {place}. Check the fields below.",
                  "Lieu choisi : {place}. Vérifiez les champs ci-dessous."),
    "place at sea": ("at sea: no country within 75 km", "en mer : aucun pays à moins de 75 km"),
    "change source": ("Source of the change", "Source de la modification"),
    "change document": ("Document", "Document"),
    "change section": ("Section", "Section"),
    "change quote": ("Its words (found word for word)", "Ses mots (trouvés mot pour mot)"),
    "change why": ("Why", "Pourquoi"),
    "save change": ("Save the change", "Enregistrer la modification"),
    "cancel": ("Cancel", "Annuler"),
    "record fields": ("The record's fields", "Les champs de l’élément"),
    "revert change": ("Revert change {number}", "Annuler la modification n° {number}"),
    "revert": ("Revert", "Annuler"),
    "change saved": ("Change {number} saved.", "Modification n° {number} enregistrée."),
    "change refused": ("Not saved: the change breaks these rules.",
                       "Non enregistrée : la modification enfreint ces règles."),
    "action add": ("added", "ajout"), "action edit": ("edited", "modification"),
    "action revert": ("reverted change {number}", "annulation de la n° {number}"),
    "action release": ("new release of the data", "nouvelle version des données"),
    "as of label": ("See the data as of", "Voir les données au"),
    "as of show": ("Show", "Afficher"),
    "as of format": ("YYYY-MM-DD", "AAAA-MM-JJ"),
    "data now": ("Data: change {number}", "Données : modification n° {number}"),
    "as of banner": ("You are seeing the data as it stood on {day}, after change {number}: "
                     "what changed since is shown as it was then.",
                     "Vous voyez les données telles qu’elles étaient le {day}, après la "
                     "modification n° {number} : ce qui a changé depuis est montré tel "
                     "qu’il était alors."),
    "data changed": ("The data has changed since this map was drawn (a change made here or "
                     "by a colleague).",
                     "Les données ont changé depuis que cette carte a été dessinée (une "
                     "modification faite ici ou par un collègue)."),
    "show new data": ("Show the new data", "Afficher les nouvelles données"),
    "back to today": ("Back to today’s data", "Revenir aux données du jour"),
    "read with": ("Read with further sources", "Lu avec d’autres sources"),
    "count stand-in": ("; {n} of them only as an approximate extent (dotted)",
                       " ; dont {n} en étendue approximative seulement (pointillés)"),
    "count capped": (" (the table lists the first {rows}; downloads hold them all)",
                     " (le tableau liste les {rows} premiers ; les téléchargements les "
                     "contiennent tous)"),
    "clear selection": ("Clear selection", "Effacer la sélection"),
    "country records": ("{country}: {count} records in view",
                        "{country} : {count} éléments affichés"),
    "country records one": ("{country}: {count} record in view",
                            "{country} : {count} élément affiché"),
    "no record": ("No record in view.", "Aucun élément affiché."),
    "continued": ("continued", "suite"),
    "framed on": ("Map framed on {country} (its card is open)",
                  "Carte cadrée sur {country} (sa fiche est ouverte)"),
    "open card": ("Open the card of {country}", "Ouvrir la fiche pays : {country}"),
    "record data": ("Record data (as stored)", "Données de l’élément (telles qu’enregistrées)"),
    "in en": ("English", "anglais"),
    "in fr": ("French", "français"),
    "continued next": ("Continued on the next page.", "Suite à la page suivante."),
    "page of": ("Page {number} of {total}", "Page {number} sur {total}"),
    "deck sources": ("Sources", "Sources"),
    "not listed": ("{count} more records touching this country are not listed here: the "
                   "dashboard's Download CSV and `app.py records` give them all.",
                   "{count} autres éléments concernant ce pays ne sont pas listés ici : "
                   "« Télécharger en CSV » du tableau de bord et `app.py records` les "
                   "donnent tous."),
    "not listed one": ("1 more record touching this country is not listed here: the "
                       "dashboard's Download CSV and `app.py records` give it.",
                       "1 autre élément concernant ce pays n’est pas listé ici : "
                       "« Télécharger en CSV » du tableau de bord et `app.py records` le "
                       "donnent."),
    "card unlisted": ("{count} more records of this kind are not listed on the card: Download "
                      "CSV, above the table, gives them all.",
                      "{count} autres éléments de ce type ne sont pas listés sur la fiche : "
                      "« Télécharger en CSV », au-dessus du tableau, les donne tous."),
    "card unlisted one": ("1 more record of this kind is not listed on the card: Download CSV, "
                          "above the table, gives it.",
                          "1 autre élément de ce type n’est pas listé sur la fiche : "
                          "« Télécharger en CSV », au-dessus du tableau, le donne."),
    "open presenter": ("Open the presenter view", "Ouvrir la vue présentateur"),
    "presenter view": ("Presenter view", "Vue présentateur"),
    "presenter waiting": ("Waiting for the presentation: present a briefing in the other "
                          "window.", "En attente de la présentation : présentez un exposé "
                          "dans l’autre fenêtre."),
    "presenter note": ("Note", "Note"),
    "presenter sources": ("Sources of this slide", "Sources de cette diapositive"),
    "presenter next": ("Next slide", "Diapositive suivante"),
    "presenter elapsed": ("Elapsed", "Temps écoulé"),
    "presenter keys": ("→ or Page Down: next slide · ← or Page Up: previous slide, in either "
                       "window.", "→ ou Page suivante : diapositive suivante · ← ou Page "
                       "précédente : diapositive précédente, dans l’une ou l’autre fenêtre."),
    "export deck": ("Export as a deck:", "Exporter en diaporama :"),
    "deck building": ("Building the deck: {done} of {total} maps drawn…",
                      "Diaporama en cours : {done} cartes dessinées sur {total}…"),
    "deck done": ("Exported {name} ({slides} slides, {size} MB) in {seconds} s.",
                  "{name} exporté ({slides} diapositives, {size} Mo) en {seconds} s."),
    "deck waiting": ("In the queue: {count} decks before yours…",
                     "Dans la file : {count} diaporamas avant le vôtre…"),
    "deck waiting one": ("In the queue: 1 deck before yours…",
                         "Dans la file : 1 diaporama avant le vôtre…"),
    "deck next": ("In the queue: yours is next…", "Dans la file : le vôtre est le suivant…"),
    "deck yours queued": ("Your deck is in the queue already: wait for it, or cancel it.",
                          "Votre diaporama est déjà dans la file : attendez-le, ou "
                          "annulez-le."),
    "deck queue full": ("{count} decks are waiting already: try again in a few minutes.",
                        "{count} diaporamas attendent déjà : réessayez dans quelques minutes."),
    "deck queue full one": ("1 deck is waiting already: try again in a few minutes.",
                            "1 diaporama attend déjà : réessayez dans quelques minutes."),
    "deck cancel": ("Cancel the deck", "Annuler le diaporama"),
    "deck cancelling": ("Cancelling…", "Annulation…"),
    "deck cancelled": ("Deck cancelled.", "Diaporama annulé."),
    "deck too long": ("stopped after {seconds} s, the longest a deck may take: split the "
                      "briefing", "arrêté après {seconds} s, la plus longue durée permise "
                      "pour un diaporama : scindez le briefing"),
    "deck stopped": ("the server process building it stopped",
                     "le processus du serveur qui le construisait s’est arrêté"),
    "deck subtitle": ("{count} slides · {day}", "{count} diapositives · {day}"),
    "export one-pager": ("Export its one-pager", "Exporter sa fiche pays"),
    "one-pager hint": ("A4 portrait: this card's records under their map (in a PDF, those "
                       "that do not fit continue on further pages), with the marking chosen "
                       "under Export map.",
                       "A4 portrait : les éléments de cette fiche sous leur carte (dans un "
                       "PDF, ceux qui n’y tiennent pas continuent sur les pages suivantes), "
                       "avec le marquage choisi sous Exporter la carte."),
    # A French title needs no preposition ("à Madagascar", "aux Seychelles", "en Inde").
    "country page title": ("France in {country}: security and defence cooperation",
                           "Coopération de sécurité et de défense de la France : {country}"),
    "located here": ("Located here ({count})", "Situés ici ({count})"),
    "named here": ("The source names this country ({count})",
                   "La source nomme ce pays ({count})"),
    "inside stand-ins": ("Inside a stand-in for a region or an aim ({count}): the source names "
                         "no country", "Dans une zone approximative tenant lieu d'une région ou "
                         "d'un objectif ({count}) : la source ne nomme aucun pays"),
    "same place": ("Also here ({count}, in view)", "Aussi à cet endroit ({count}, affichés)"),
    "details hint": ("Click a symbol, an area or a table row to see its details and source.",
                     "Cliquez sur un symbole, une zone ou une ligne du tableau pour voir le "
                     "détail et la source."),
    "data as of": ("data as of", "données de"),
    "attested": ("attested {date}", "attesté en {date}"),
    "attested since": ("Attested (leave out what only older sources say)",
                       "Attesté (écarter ce que seules des sources plus anciennes disent)"),
    "any date": ("At any date", "À toute date"),
    "attested in or after": ("In {year} or later", "En {year} ou après"),
    "records": ("Records", "Éléments"),
    "present": ("Present (P)", "Présenter (P)"),
    "hide controls": ("Hide controls", "Masquer les commandes"),
    "show controls": ("Show controls", "Afficher les commandes"),
    "only": ("only", "seul"),
    "only this theme": ("Show only {theme}", "N'afficher que : {theme}"),
    "leave presentation": ("Leave presentation (Esc)", "Quitter la présentation (Échap)"),
    "shortcuts": ("Keyboard shortcuts (?)", "Raccourcis clavier (?)"),
    "shortcuts title": ("Keyboard shortcuts", "Raccourcis clavier"),
    "close": ("Close", "Fermer"),
    "shortcuts note": ("Shortcuts do nothing while you type in a field.",
                       "Les raccourcis sont inactifs pendant la saisie dans un champ."),
    "key themes": ("Show one theme only (in legend order)",
                   "N'afficher qu'un thème (dans l'ordre de la légende)"),
    "key all themes": ("Show every theme", "Afficher tous les thèmes"),
    "key regions": ("Next / previous region", "Région suivante / précédente"),
    "key slides": ("Next / previous slide of the briefing", "Diapositive suivante / précédente"),
    "key present": ("Enter or leave presentation mode (resumes the chosen briefing at its "
                    "slide)", "Entrer en présentation ou la quitter (reprend l’exposé "
                    "choisi à sa diapositive)"),
    "key leave": ("Leave presentation mode, close this list",
                  "Quitter la présentation, fermer cette liste"),
    "key help": ("Show this list", "Afficher cette liste"),
    "import title": ("Bring your own layer", "Ajouter votre couche"),
    "import drop": ("Drop a file here, or click to choose one",
                    "Déposez un fichier ici, ou cliquez pour le choisir"),
    "import kinds": ("CSV (lon/lat, iso3 or country column), XLSX, GeoJSON, GeoPackage; "
                     "up to {mb} MB",
                     "CSV (colonnes lon/lat, iso3 ou pays), XLSX, GeoJSON, GeoPackage ; "
                     "{mb} Mo au plus"),
    "import name": ("Layer name", "Nom de la couche"),
    "import label": ("Column naming each record", "Colonne qui nomme chaque élément"),
    "import category": ("Column giving the category", "Colonne qui donne la catégorie"),
    "import no category": ("None (one category)", "Aucune (une seule catégorie)"),
    "import source": ("Where the file comes from", "Provenance du fichier"),
    "import source hint": ("e.g. gendarmerie liaison officer, list of Nov 2026",
                           "ex. : officier de liaison gendarmerie, liste de nov. 2026"),
    "import add": ("Add to the map", "Ajouter à la carte"),
    "import summary": ("{name}: {kind}, {rows} rows, {columns} columns",
                       "{name} : {kind}, {rows} lignes, {columns} colonnes"),
    "import ready": ("Ready: placed by {placed}; {count} categories.",
                     "Prêt : placé selon {placed} ; {count} catégories."),
    "import ready one": ("Ready: placed by {placed}; {count} category.",
                         "Prêt : placé selon {placed} ; {count} catégorie."),
    "import problems": ("{count} problems: fix the file and drop it again, or choose other "
                        "columns. Nothing was added.",
                        "{count} problèmes : corrigez le fichier et déposez-le à nouveau, ou "
                        "choisissez d'autres colonnes. Rien n'a été ajouté."),
    "import problems one": ("{count} problem: fix the file and drop it again, or choose "
                            "other columns. Nothing was added.",
                            "{count} problème : corrigez le fichier et déposez-le à nouveau, "
                            "ou choisissez d'autres colonnes. Rien n'a été ajouté."),
    "import unreadable": ("{name} cannot be read. Nothing was added:",
                          "{name} est illisible. Rien n'a été ajouté :"),
    "import added": ("Added “{name}”: {rows} records.", "« {name} » ajoutée : {rows} éléments."),
    "import removed": ("Layer removed.", "Couche retirée."),
    "import undo": ("Undo", "Annuler"),
    "import undo label": ("Put the removed layer back", "Remettre la couche retirée"),
    "import restored": ("Layer put back.", "Couche remise."),
    "import not removed": ("Not removed: {why}", "Non retirée : {why}"),
    "import added by": (", added by {owner}", ", ajoutée par {owner}"),
    "import failed": ("Not added: {why}", "Non ajoutée : {why}"),
    "imported layers": ("Imported layers", "Couches importées"),
    "import listed": ("{name}: {count} records ({file})", "{name} : {count} éléments ({file})"),
    "import remove": ("Remove the layer “{name}”", "Retirer la couche « {name} »"),
    "import refused files": ("Files of the imports folder not loaded:",
                             "Fichiers du dossier des imports non chargés :"),
    "briefings": ("Briefings", "Exposés"),
    "briefing": ("Briefing", "Exposé"),
    "choose briefing": ("Choose a briefing", "Choisir un exposé"),
    "no slides": ("No slide yet: add the view on screen below.",
                  "Aucune diapositive : ajoutez la vue affichée ci-dessous."),
    "present briefing": ("Present this briefing", "Présenter cet exposé"),
    "add view": ("Add this view to the briefing", "Ajouter cette vue à l’exposé"),
    "slide title": ("Slide title", "Titre de la diapositive"),
    "slide note": ("Note (optional)", "Note (facultative)"),
    "add": ("Add this view", "Ajouter cette vue"),
    "new briefing": ("New briefing", "Nouvel exposé"),
    "briefing title": ("Title of the briefing", "Titre de l’exposé"),
    "create": ("Create", "Créer"),
    "move up": ("Move “{title}” up", "Monter « {title} »"),
    "move down": ("Move “{title}” down", "Descendre « {title} »"),
    "delete": ("Delete “{title}”", "Supprimer « {title} »"),
    "show slide": ("Show slide {number}: {title}", "Afficher la diapositive {number} : {title}"),
    "added": ("Added “{title}” as slide {number}.", "« {title} » ajoutée en diapositive {number}."),
    "created": ("Created “{title}”.", "« {title} » créé."),
    "moved": ("Slides reordered.", "Diapositives réordonnées."),
    "deleted": ("Slide deleted.", "Diapositive supprimée."),
    "briefing failed": ("Not saved: {why}", "Non enregistré : {why}"),
    "choose to present": ("Choose the briefing to present in the list above, then press "
                        "“Present this briefing” again.",
                        "Choisissez l’exposé à présenter dans la liste ci-dessus, puis "
                        "appuyez de nouveau sur « Présenter cet exposé »."),
    "choose first": ("Choose or create a briefing first.",
                     "Choisissez ou créez d'abord un exposé."),
    "unreadable": ("Some briefing files cannot be read: {why}",
                   "Certains fichiers d’exposé sont illisibles : {why}"),
    # the table's columns
    "col name": ("Name", "Nom"), "col theme": ("Theme", "Thème"),
    "col category": ("Category", "Catégorie"), "col layer": ("Layer", "Couche"),
    "col country": ("Country", "Pays"), "col actor": ("French actor", "Acteur français"),
    "col years": ("In force", "En vigueur"),
    "col as_of": ("Attested as of", "Attesté en"),
    "older source": ("{date} (older source)", "{date} (source plus ancienne)"),
    "since": ("since {date}", "depuis {date}"),
    "ongoing": ("— (in force as of {date}, the source's date; not known after it)",
                "— (en vigueur en {date}, date de la source ; rien ne l'atteste ensuite)"),
    "figures": ("Figures the source gives", "Chiffres que donne la source"), "until": ("until {date}", "jusqu'en {date}"), "col source": ("Source", "Source"),
    # the export panel
    "export map": ("Export map", "Exporter la carte"),
    "format": ("Format", "Format"),
    "page size": ("Page size", "Format de page"),
    "custom size": ("Custom (mm)", "Personnalisé (mm)"),
    "width mm": ("Width (mm)", "Largeur (mm)"), "height mm": ("Height (mm)", "Hauteur (mm)"),
    "resolution": ("Resolution (PNG)", "Résolution (PNG)"),
    "title": ("Title", "Titre"),
    "title placeholder": ("Themes and region of the view", "Thèmes et région de la vue"),
    "on the page": ("On the page", "Sur la page"),
    "part title": ("Title", "Titre"), "part legend": ("Legend", "Légende"),
    "part caption": ("Caption stating the filters", "Légende des filtres appliqués"),
    "part sources": ("Source line", "Ligne des sources"),
    "part date": ("Date of export", "Date d'export"),
    "part scale": ("Scale bar (regional maps)", "Échelle (cartes régionales)"),
    "part locator": ("Locator inset (regional maps)", "Carton de situation (cartes régionales)"),
    "marking": ("Handling or classification marking (top and bottom; none when empty)",
                "Mention de diffusion ou de classification (en haut et en bas ; aucune si "
                "vide)"),
    "marking placeholder": ("e.g. DIFFUSION RESTREINTE", "p. ex. DIFFUSION RESTREINTE"),
    "marking colour": ("Marking colour", "Couleur de la mention"),
    "red": ("Red", "Rouge"), "orange": ("Orange", "Orange"), "green": ("Green", "Vert"),
    "blue": ("Blue", "Bleu"), "black": ("Black", "Noir"),
    "export": ("Export", "Exporter"), "exporting": ("Exporting…", "Export en cours…"),
    "exported": ("Exported {name} ({page}, {size} MB) in {seconds} s.",
                 "{name} exporté ({page}, {size} Mo) en {seconds} s."),
    "export failed": ("Could not export: {why}", "Export impossible : {why}"),
    "a4-portrait": ("A4 portrait", "A4 portrait"), "a4-landscape": ("A4 landscape", "A4 paysage"),
    "a5-portrait": ("A5 portrait", "A5 portrait"), "a5-landscape": ("A5 landscape", "A5 paysage"),
    "slide-16x9": ("Slide 16:9", "Diapositive 16:9"),
    "svg vector": ("SVG (vector)", "SVG (vectoriel)"), "pdf vector": ("PDF (vector)",
                                                                      "PDF (vectoriel)"),

    # The map's own words: hovers, the legend's key, the colour bar (figures/world_map).
    "map records here": ("<b>{count} records here</b>", "<b>{count} éléments ici</b>"),
    "map more": ("… and {count} more", "… et {count} de plus"),
    "map cluster": ("<b>{count} records</b> at {places} places nearby",
                    "<b>{count} éléments</b> en {places} lieux proches"),
    "map clusters": ("Records grouped by nearby places, with their number: too many "
                     "symbols to draw one by one", "Éléments regroupés par lieux proches, "
                     "avec leur nombre : trop de symboles pour les dessiner un à un"),
    "map key": ("Key", "Clé de lecture"),
    "map numbered": ("Numbers on the map", "Numéros sur la carte"),
    "map unnamed": ("Unlabelled (too crowded)", "Sans étiquette (trop serrés)"),
    "map unnamed more": (" and {count} more", " et {count} autres"),
    "map per country": ("Records in view,<br>per country", "Éléments affichés,<br>par pays"),
    "map coverage": ("Coverage zone of a regional service",
                     "Zone de compétence d'un service régional"),
    "map spokes": ("From its seat to the countries it covers", "De son siège aux pays couverts"),
    "map small states": ("Small state, shaded as its country",
                         "Petit État, teinté comme son pays"),
    "map footprints": ("Project footprints", "Emprises des projets"),
    "map approximate": ("Region as its source words it (approximate)",
                        "Région telle que sa source la nomme (approximative)"),
    "map approximate hover": ("approximate extent", "étendue approximative"),
    "map selected": ("Selected", "Sélection"),
    # The scale bar of a regional map (figures/map_furniture.py).
    "scale at": ("at {lat}", "à {lat}"),
    "scale equator": ("at the equator", "à l'équateur"),
}


# The words of particular parts, as each reads them.
# The exported page around the map (figures/captions.py, figures/fact_sheet.py).
PAGE_WORDS = {
    "en": {
        "all themes": "Security and defence cooperation", "world": "World",
        "themes": "Themes shown", "themes none": "none",
        "categories": "Categories shown", "categories none": "none",
        "layers": "Layers shown", "layers none": "none",
        "all records": "All {n} records are shown", "records of": "{n} of {total} records are shown",
        "record of": "1 of {total} records is shown", "no records": "No record is shown",
        "worldwide": "worldwide", "in region": "in the region {region}",
        "touching": "those touching {country}",
        "in force in": "In force in {year}", "in force between": "In force between {first} and {last}",
        "actor contains": "The French actor’s name contains “{text}”",
        "attested since": "Only records attested in {year} or later",
        "older one": "1 of them is attested only as of {dates}",
        "older some": "{n} of them are attested only as of {dates}",
        "selected": "Selected", "sources": "Sources", "source": "Source",
        "further sources": "Read with", 
        "exported": "Exported on {day}", "and": "and",
        "data at": "data at change {number}",
        "data as of": "data as of {day} (change {number})",
        "footprints": "Project footprints",
        "approximate footprints": "Project footprints, approximate (dotted outline)",
        "coverage": "Coverage zones of regional services",
        "per country": "Records per country", "key": "Key",
        "small states": "Small state (shaded as its country)",
    },
    "fr": {
        "all themes": "Coopération de sécurité et de défense", "world": "Monde",
        "themes": "Thèmes représentés", "themes none": "aucun",
        "categories": "Catégories représentées", "categories none": "aucune",
        "layers": "Couches représentées", "layers none": "aucune",
        "all records": "Les {n} éléments sont représentés",
        "records of": "{n} éléments sur {total} sont représentés",
        "record of": "1 élément sur {total} est représenté",
        "no records": "Aucun élément n’est représenté",
        "worldwide": "dans le monde entier", "in region": "dans la région {region}",
        "touching": "ceux qui concernent {country}",
        "in force in": "En vigueur en {year}",
        "in force between": "En vigueur entre {first} et {last}",
        "actor contains": "Le nom de l’acteur français contient «\u00a0{text}\u00a0»",
        "attested since": "Seuls les éléments attestés en {year} ou après",
        "older one": "1 d’entre eux n’est attesté qu’en {dates}",
        "older some": "{n} d’entre eux ne sont attestés qu’en {dates}",
        "selected": "Sélection", "sources": "Sources", "source": "Source",
        "further sources": "Lues avec", 
        "exported": "Exporté le {day}", "and": "et",
        "data at": "données à la modification n° {number}",
        "data as of": "données au {day} (modification n° {number})",
        "footprints": "Emprises des projets",
        "approximate footprints": "Emprises approximatives (contour pointillé)",
        "coverage": "Zones de compétence des services régionaux",
        "per country": "Éléments par pays", "key": "Clé de lecture",
        "small states": "Petit État (teinté comme son pays)",
    },
}
# Keys as a French keyboard names them, in the shortcuts dialog (layout.py).
KEY_NAMES_FR = {"Shift": "Maj", "Page Down": "Pg suiv", "Page Up": "Pg préc", "Esc": "Échap"}
# A record's details (figures/record_text.py, panels/details.py).
FIELD_LABELS = {  # field: (English, French)
    "id": ("Id", "Identifiant"), "layer": ("Layer", "Couche"), "theme": ("Theme", "Thème"),
    "category": ("Category", "Catégorie"), "name_en": ("Name (English)", "Nom (anglais)"),
    "name_fr": ("Name (French)", "Nom (français)"), "host_iso3": ("Host country", "Pays hôte"),
    "short_en": ("Name on the map (English)", "Nom sur la carte (anglais)"),
    "short_fr": ("Name on the map (French)", "Nom sur la carte (français)"),
    "city": ("City or site", "Ville ou site"), "lon": ("Longitude", "Longitude"),
    "lat": ("Latitude", "Latitude"), "place_basis": ("How it was placed", "Comment il est placé"),
    "countries": ("Countries covered or spanned", "Pays couverts"),
    "regions": ("Regions", "Régions"), "extent": ("Extent of the area", "Étendue de la zone"),
    "actor": ("French actor", "Acteur français"), "partner": ("Partners", "Partenaires"),
    "valid_from": ("In force from", "En vigueur depuis"),
    "valid_until": ("In force until", "En vigueur jusqu'en"),
    "event_dates": ("Dated events", "Événements datés"),
    "as_of": ("Attested as of", "Attesté en"),
    "personnel": ("French personnel (as the source gives it)",
                  "Personnels français (tels que la source les donne)"),
    "personnel_qualifier": ("Qualifier of the number", "Qualificatif du nombre"),
    "description": ("Description (as the source gives it)", "Description (langue de la source)"),
    "source": ("Source", "Source"), "source_section": ("Section of the source",
                                                       "Section de la source"),
    "source_quote": ("The source's words", "Les mots de la source (langue de la source)"),
}
EXTENT = {
    "named": ("named: the source names each of these countries",
              "nommée : la source nomme chacun de ces pays"),
    "approximate": ("approximate: the source names no countries; the region stands in for its "
                    "words and is drawn with a dotted outline",
                    "approximative : la source ne nomme pas de pays ; la région tient lieu de "
                    "ses mots et est tracée en pointillés"),
}
QUALIFIERS = {"about": "environ", "nearly": "près de", "more than": "plus de",
              "at least": "au moins"}
PLACE_BASIS = {
    "named": ("the source names this city or site", "la source nomme cette ville ou ce site"),
    "capital": ("the source names only the country: placed at its capital",
                "la source ne nomme que le pays : placé à sa capitale"),
    "seat": ("placed at the organisation's seat", "placé au siège de l'organisation"),
    "site": ("placed at the known site of the facility the source names",
             "placé au site connu de l'installation que la source nomme"),
    # Imported layers (presence/imported/): the host country is the one the point falls in.
    "file": ("at the coordinates the imported file gives",
             "aux coordonnées que donne le fichier importé"),
}
# How an imported file's rows are placed (presence/imported/).
PLACED_BY = {  # how rows are placed, in English and French, by the columns used
    "geometry": ("each feature's geometry", "la géométrie de chaque entité"),
    "lon-lat": ("longitude and latitude columns '{lon}' and '{lat}'",
                "les colonnes de longitude et latitude « {lon} » et « {lat} »"),
    "iso3": ("the countries of column '{iso3}' (ISO 3166 alpha-3 codes)",
             "les pays de la colonne « {iso3} » (codes ISO 3166 alpha-3)"),
    "country": ("the countries named in column '{country}'",
                "les pays nommés dans la colonne « {country} »"),
}


MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}


def date_text(date: str, lang: str = "en") -> str:
    """A date as precise as its source gives it, in words: "2013", "September 2023",
    "septembre 2023"; a period "2003/2013" as "2003–2013"."""
    if "/" in date:
        return "–".join(date_text(part, lang) for part in date.split("/"))
    year, _, month = date.partition("-")
    if not (month.isdigit() and 1 <= int(month) <= 12):
        return date
    return f"{MONTHS['fr' if lang == 'fr' else 'en'][int(month) - 1]} {year}"


def attested_note(as_of, lang: str = "en") -> str:
    """What a record known only from an older source says of itself ("attested 2013"), or ""
    for a record the newest sources attest (`as_of` is Dataset.records' `older_as_of`)."""
    return tr("attested", lang, date=date_text(as_of, lang)) if isinstance(as_of, str) else ""


def number_text(value: float, lang: str = "en", digits: int = 1) -> str:
    """A number as its reader writes it: 1.3 and 12,500 in English; 1,3 and 12 500 in
    French (a narrow no-break space between thousands)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def separator(lang: str) -> str:
    """A label's colon: French sets a (non-breaking) space before it."""
    return "\u00a0: " if lang == "fr" else ": "


def list_separator(lang: str) -> str:
    """Between the items of a list: "; ", and in French a no-break space before it."""
    return "\u00a0; " if lang == "fr" else "; "


# File names of downloads, in the page's language (no accents: every system takes them).
FILE_NAMES = {"records": ("cooperation-records", "elements-cooperation"),
              "map": ("cooperation-map", "carte-cooperation")}


def file_name(key: str, lang: str = "en") -> str:
    english, french = FILE_NAMES[key]
    return french if lang == "fr" else english


def tr(key: str, lang: str = "en", **values) -> str:
    """The interface text `key` in `lang` (English for an unknown language)."""
    english, french = TEXT[key]
    text = french if lang == "fr" else english
    return text.format(**values) if values else text


def tr_count(key: str, lang: str, count: int, **values) -> str:
    """The text `key` for `count` things, its plural written out: "1 élément affiché",
    "19 éléments affichés" (`key` one, where a language's singular differs: French counts
    0 and 1 in the singular, English 1 alone)."""
    singular = count <= 1 if lang == "fr" else count == 1
    one = f"{key} one"
    return tr(one if singular and one in TEXT else key, lang, count=count, **values)


def lang_in(url_or_query: str | None) -> str:
    """The language a URL or URL query asks for: `lang=fr` gives French, anything else
    English."""
    text = url_or_query or ""
    query = urlsplit(text).query if "://" in text or text.startswith("/") else text.lstrip("?")
    found = parse_qs(query).get("lang", ["en"])[-1]
    return found if found in LANGUAGES else "en"


def _english(frame, column: str) -> str:
    """The column a label's English is in: `<column>_en` (`name_en`), or `<column>` itself
    where only the French stands beside it (`city` and `city_fr`, a source's `title`)."""
    return f"{column}_en" if f"{column}_en" in frame else column


def label(frame, key, column: str, lang: str):
    """A data label in `lang` from a frame with its English (`<column>_en` or `<column>`) and
    `<column>_fr` columns, falling back to English where the French is missing."""
    value = frame.at[key, f"{column}_{lang}"] if f"{column}_{lang}" in frame else None
    return value if isinstance(value, str) and value else frame.at[key, _english(frame, column)]


def labels(frame, column: str, lang: str):
    """`label` for every row of a frame at once, as a Series by the frame's index."""
    english = frame[_english(frame, column)]
    if lang == "en" or f"{column}_{lang}" not in frame:
        return english
    chosen = frame[f"{column}_{lang}"]
    return chosen.where(chosen.map(lambda value: isinstance(value, str) and bool(value)), english)
