import type { Rng } from './random.ts';

/** Languages of Fibrelink's customers and how common each is. */
export const languages = [['nl', 68], ['en', 20], ['tr', 5], ['de', 4], ['fr', 3]] as const;
export type Lang = (typeof languages)[number][0];

const first: Record<Lang, string[]> = {
  nl: ['Anna', 'Sanne', 'Lotte', 'Femke', 'Eva', 'Iris', 'Sophie', 'Noor', 'Julia', 'Lisa', 'Fleur', 'Merel', 'Anouk', 'Esther', 'Marieke', 'Inge',
    'Daan', 'Sem', 'Lucas', 'Bram', 'Thijs', 'Jeroen', 'Ruben', 'Stijn', 'Bas', 'Pieter', 'Joost', 'Maarten', 'Wouter', 'Koen', 'Sander', 'Niels',
    'Hanneke', 'Wim', 'Henk', 'Gerrit', 'Annelies', 'Jasper', 'Milan', 'Tess', 'Roos', 'Floor', 'Guus', 'Hugo', 'Jesse', 'Lars', 'Mila', 'Nina'],
  en: ['James', 'Oliver', 'Harry', 'Jack', 'George', 'Thomas', 'William', 'Daniel', 'Michael', 'David', 'Emily', 'Olivia', 'Amelia', 'Jessica',
    'Charlotte', 'Grace', 'Hannah', 'Chloe', 'Sarah', 'Laura', 'Rachel', 'Priya', 'Aisha', 'Mei', 'Carlos', 'Sofia', 'Ravi', 'Kate', 'Ben', 'Tom'],
  tr: ['Mehmet', 'Ahmet', 'Mustafa', 'Emre', 'Burak', 'Can', 'Murat', 'Elif', 'Zeynep', 'Ayşe', 'Fatma', 'Emine', 'Selin', 'Deniz', 'Yusuf', 'Hatice'],
  de: ['Lukas', 'Jonas', 'Felix', 'Maximilian', 'Leon', 'Paul', 'Lena', 'Hannah', 'Katharina', 'Julia', 'Anja', 'Stefan', 'Jürgen', 'Sabine', 'Uwe'],
  fr: ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Louis', 'Hugo', 'Gabriel', 'Arthur', 'Jules', 'Mathieu', 'Élodie', 'Nicolas', 'Amélie', 'Théo'],
};

const last: Record<Lang, string[]> = {
  nl: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot',
    'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'van der Linden',
    'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Heuvel', 'van der Veen', 'van den Broek', 'de Bruijn', 'de Bruin', 'van der Heijden', 'Schouten',
    'van Beek', 'Willems', 'van Vliet', 'van de Ven', 'Hoekstra', 'Maas', 'Verhoeven', 'Koster', 'van Dam', 'Prins', 'Blom', 'Huisman', 'Postma'],
  en: ['Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Walker', 'Wright', 'Robinson',
    'Thompson', 'White', 'Hughes', 'Edwards', 'Green', 'Hall', 'Wood', 'Harris', 'Clarke', 'Patel', 'Khan', 'Murphy', "O'Brien", 'Kelly', 'Chen', 'Garcia'],
  tr: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan', 'Doğan', 'Kılıç', 'Aslan', 'Koç'],
  de: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf'],
  fr: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel'],
};

/** Reserved example domains (RFC 2606): a demo must never mail a real person. */
const emailDomains = [['example.com', 30], ['example.net', 20], ['example.org', 12], ['mail.example', 18], ['post.example', 10], ['inbox.example', 10]] as const;

export function personName(rng: Rng, lang: Lang): { first: string; last: string; full: string } {
  const f = rng.pick(first[lang]);
  const l = rng.pick(last[lang]);
  return { first: f, last: l, full: `${f} ${l}` };
}

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ı/g, 'i').replace(/ş/g, 's').replace(/ğ/g, 'g')
  .toLowerCase().replace(/[^a-z]/g, '');

/** A unique, plausible address on a reserved domain: anna.devries@example.com, a.jansen84@mail.example … */
export function emailFor(rng: Rng, name: { first: string; last: string }, taken: Set<string>): string {
  const f = ascii(name.first), l = ascii(name.last);
  const local = rng.weighted([[`${f}.${l}`, 40], [`${f[0]}.${l}`, 20], [`${f}${l}`, 15], [`${f}${rng.int(60, 99)}`, 10], [`${l}.${f}`, 8], [`${f}_${l[0]}`, 7]] as const);
  const domain = rng.weighted(emailDomains);
  let email = `${local}@${domain}`;
  for (let n = 2; taken.has(email); n++) email = `${local}${n}@${domain}`;
  taken.add(email);
  return email;
}

/** A unique Dutch mobile number in E.164: +316 and eight digits. */
export function mobileFor(rng: Rng, taken: Set<string>): string {
  let p: string;
  do p = `+316${rng.int(1, 9)}${rng.digits(7)}`; while (taken.has(p));
  taken.add(p);
  return p;
}

/** A social handle, network:handle as the identity rules want it. */
export function socialHandle(rng: Rng, name: { first: string; last: string }, taken: Set<string>): string {
  const base = `${ascii(name.first)}${rng.pick(['', '_', '.'])}${ascii(name.last).slice(0, 6)}`;
  const network = rng.weighted([['x', 50], ['instagram', 30], ['facebook', 20]] as const);
  let h = `${network}:${base}`;
  for (let n = rng.int(1, 99); taken.has(h); n++) h = `${network}:${base}${n}`;
  taken.add(h);
  return h;
}

/** A unique numeric id (Telegram user ids, Messenger page-scoped ids). */
export function numericId(rng: Rng, length: number, taken: Set<string>): string {
  let v: string;
  do v = `${rng.int(1, 9)}${rng.digits(length - 1)}`; while (taken.has(v));
  taken.add(v);
  return v;
}
