import type { Script } from './texts.ts';

/** Dutch versions of the commonest scripts, used by some Dutch-speaking customers (amounts in Dutch notation). */
const bedankt = ['Dank je wel!', 'Top, bedankt {agent}.', 'Duidelijk, bedankt voor de snelle hulp.', 'Fijn, dank je.'];
const afsluiten = ['Graag gedaan! Als er nog iets is, reageer gerust hier.', 'Fijne dag verder!', 'Graag gedaan, fijne avond!'];

export const dutchTopics: Record<string, Record<string, Script>> = {
  'billing.higher': {
    fee: {
      subject: ['Waarom is mijn factuur hoger?', 'Extra kosten op factuur {invoice}'],
      steps: [
        ['Mijn factuur van {monthNl} is {amountNl}, normaal betaal ik {prevAmountNl}. Waarom is hij hoger?', 'Er staat {lateFeeNl} extra op factuur {invoice}. Waar is dat voor?'],
        ['Dat is herinneringskosten: de vorige factuur is na de vervaldatum betaald. De rest, {planPriceNl}, is je abonnement {plan}.'],
        ['Ik was op vakantie. Kunnen die kosten eraf?', 'Kan ik voorkomen dat dit nog eens gebeurt?'],
        ['Omdat het de eerste keer is, heb ik de {lateFeeNl} gecrediteerd; je ziet het terug op je volgende factuur. Met automatische incasso betaal je altijd op tijd.'],
        bedankt, afsluiten,
      ],
    },
    generic: {
      subject: ['Vraag over mijn factuur', 'Afschrijving van {amountNl}'],
      steps: [
        ['Ik zie een afschrijving van {amountNl} van Fibrelink. Klopt dat?', 'Kunnen jullie factuur {invoice} uitleggen?'],
        ['Dat is factuur {invoice} voor {monthNl}: je abonnement {plan}, {amountNl} inclusief btw, geïncasseerd op {chargeDate}.'],
        ['Ok, ik dacht dat het meer was dan vorige maand.', 'Waar kan ik de factuur downloaden?'],
        ['Het bedrag is gelijk aan vorige maand. Alle facturen staan in het portaal onder Facturen, ook als pdf.'],
        bedankt, afsluiten,
      ],
    },
  },
  outage: {
    main: {
      subject: ['Storing in {town}?', 'Geen internet sinds {since}'],
      steps: [
        ['Is er een storing in {town}? Ik heb geen internet sinds {since}.', 'Al sinds {since} geen internet op de {street}. Het lampje op de router is rood.', 'Weer storing?! {postcode}'],
        ['Vervelend! Er is inderdaad een storing in {area} sinds {since}, door {causeNl}. Onze monteurs zijn ter plaatse; we verwachten dat het rond {eta} is opgelost (melding {ticket}).',
          'Klopt, er is een storing in {area} ({ticket}). Ongeveer {homes} adressen hebben last. Verwachte oplossing rond {eta}; je router maakt daarna vanzelf weer verbinding.'],
        ['Ik heb nog steeds niks. Hoe lang duurt het nog?', 'Krijg ik hier compensatie voor?'],
        ['De storing is verholpen. Werkt het nog niet? Haal dan de stekker van de router 30 seconden uit het stopcontact. Je krijgt een tegoed op je volgende factuur.'],
        ['Het werkt weer, dank je!', 'Top, bedankt.'], afsluiten,
      ],
    },
  },
  speed: {
    main: {
      subject: ['Traag internet', 'Snelheid klopt niet'],
      steps: [
        ['Ik betaal voor {plan} maar haal maar {measured} Mbit/s. Wat is er aan de hand?', 'Mijn internet is al dagen traag, vooral \'s avonds.'],
        ['Ik heb je lijn gecontroleerd: die staat op {speed} Mbit/s en er zijn geen fouten. Heb je via wifi gemeten? Probeer eens met een kabel aan de {router}.'],
        ['Met een kabel haal ik {wired} Mbit/s.', 'Ok, met kabel is het een stuk sneller.'],
        ['Dan ligt het aan de wifi. Zet de router op een open plek, niet in de meterkast, en gebruik het 5 GHz-netwerk. Voor boven kunnen we een mesh-punt sturen voor € 4,50 per maand.'],
        bedankt, afsluiten,
      ],
    },
  },
  moving: {
    main: {
      subject: ['Verhuizing', 'Internet meenemen naar nieuw adres'],
      steps: [
        ['We verhuizen op {moveDateNl} naar {newAddress}. Kan ik mijn abonnement meenemen?', 'Ik ga verhuizen. Is Fibrelink beschikbaar op {newAddress}?'],
        ['Gefeliciteerd met je nieuwe huis! {newAddress} is aangesloten op ons glasvezelnetwerk. Zal ik de verhuizing inplannen voor {moveDateNl}?'],
        ['Ja graag.', 'Moet er iemand langskomen?'],
        ['Geregeld: je internet verhuist op {moveDateNl} mee. Neem de {router} mee en sluit hem aan op de glasvezelaansluiting. Je krijgt een bevestiging per e-mail.'],
        bedankt, afsluiten,
      ],
    },
  },
};
